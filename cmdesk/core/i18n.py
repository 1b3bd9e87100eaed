"""Marking sentences for translation below the GUI, without Qt.

``QT_TRANSLATE_NOOP("Services", "…")`` returns the English sentence unchanged; Qt's lupdate
finds the call by name and puts the sentence in the translation files. The GUI shows such a
sentence through ``QCoreApplication.translate("Services", sentence)``, which returns the
translation, or the sentence itself when it was not marked (a platform's own error message).
"""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text
