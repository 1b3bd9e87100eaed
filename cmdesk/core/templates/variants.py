"""Which variant of a template answers a given item: the reader's language first, then the platform.

Fallback order, for a reader language L and a platform P (best first):

1. a body in L written for P;
2. a body in L for any platform;
3. a body in L written for another platform (still readable; the length counter guards size);
4. a language-neutral body (``lang == ""``): for P, then any platform, then another platform;
5. a body in the template's default language (its first variant's): same platform order;
6. whatever comes first.

Language wins over platform because a reply in the wrong language cannot be fixed by
trimming, while a long one is caught by the length counter. "fr-ca" matches "fr-ca" and
"fr"; an exact tag only breaks ties. An unknown reader language ("") starts at step 4.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdesk.core.models import Platform
from cmdesk.core.templates.model import Template, Variant, normalize_lang, same_language


@dataclass(frozen=True, slots=True)
class VariantChoice:
    """The chosen variant and how well it fits, so the composer can say "no French version"."""

    variant: Variant
    lang_matched: bool  # in the reader's language, or language-neutral
    platform_matched: bool  # written for this very platform

    @property
    def exact(self) -> bool:
        return self.lang_matched and self.platform_matched


def choose_variant(template: Template, lang: str = "", platform: Platform | None = None) -> VariantChoice:
    lang = normalize_lang(lang)
    default_lang = template.default.lang

    def rank(variant: Variant) -> tuple[int, int, int]:
        if lang and same_language(variant.lang, lang):
            lang_level = 3
        elif not variant.lang:
            lang_level = 2
        elif variant.lang == default_lang:
            lang_level = 1
        else:
            lang_level = 0
        if platform is not None and variant.platform == platform:
            platform_level = 2
        elif variant.platform is None:
            platform_level = 1
        else:
            platform_level = 0
        return (lang_level, platform_level, int(bool(lang) and variant.lang == lang))

    # max() keeps the first of equal ranks: variant order is the author's preference.
    best = max(template.variants, key=rank)
    lang_level, platform_level, _ = rank(best)
    return VariantChoice(best, lang_level >= 2, platform_level == 2)
