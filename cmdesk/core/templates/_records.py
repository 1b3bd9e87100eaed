"""What the JSON and CSV readers hand to the common import checks: values plus where they were."""

from __future__ import annotations

from dataclasses import dataclass, field

from cmdesk.core.templates.model import Category, CustomField, Template


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A problem in an import file: ``location`` is "line 12" (CSV) or "template 3 (/merci)" (JSON)."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass(slots=True)
class Draft:
    """A template read from a file, with the location of the template and of each variant."""

    template: Template
    location: str
    variant_locations: list[str]


@dataclass(slots=True)
class FileContents:
    """Everything one reader got out of a file, before the checks common to both formats."""

    drafts: list[Draft] = field(default_factory=list)
    categories: list[tuple[str, Category]] = field(default_factory=list)
    fields: list[tuple[str, CustomField]] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)

    def error(self, location: str, message: str) -> None:
        self.errors.append(ImportProblem(location, message))

    def warn(self, location: str, message: str) -> None:
        self.warnings.append(ImportProblem(location, message))
