# Generated from ui/composer.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'composer.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QToolButton,
    QVBoxLayout, QWidget)

class Ui_Composer(object):
    def setupUi(self, Composer):
        if not Composer.objectName():
            Composer.setObjectName(u"Composer")
        Composer.resize(520, 190)
        self.layout = QVBoxLayout(Composer)
        self.layout.setSpacing(4)
        self.layout.setObjectName(u"layout")
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.guidelineView = QPlainTextEdit(Composer)
        self.guidelineView.setObjectName(u"guidelineView")
        self.guidelineView.setVisible(False)
        self.guidelineView.setFocusPolicy(Qt.NoFocus)
        self.guidelineView.setReadOnly(True)
        self.guidelineView.setMaximumSize(QSize(16777215, 96))

        self.layout.addWidget(self.guidelineView)

        self.editor = QPlainTextEdit(Composer)
        self.editor.setObjectName(u"editor")
        self.editor.setMaximumSize(QSize(16777215, 130))
        self.editor.setTabChangesFocus(True)

        self.layout.addWidget(self.editor)

        self.problemLabel = QLabel(Composer)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setVisible(False)
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setTextFormat(Qt.PlainText)

        self.layout.addWidget(self.problemLabel)

        self.bottomRow = QHBoxLayout()
        self.bottomRow.setObjectName(u"bottomRow")
        self.templateButton = QToolButton(Composer)
        self.templateButton.setObjectName(u"templateButton")

        self.bottomRow.addWidget(self.templateButton)

        self.counterLabel = QLabel(Composer)
        self.counterLabel.setObjectName(u"counterLabel")
        self.counterLabel.setTextFormat(Qt.PlainText)

        self.bottomRow.addWidget(self.counterLabel)

        self.spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.bottomRow.addItem(self.spacer)

        self.sendButton = QPushButton(Composer)
        self.sendButton.setObjectName(u"sendButton")

        self.bottomRow.addWidget(self.sendButton)


        self.layout.addLayout(self.bottomRow)


        self.retranslateUi(Composer)

        self.sendButton.setDefault(False)

    # setupUi

    def retranslateUi(self, Composer):
#if QT_CONFIG(tooltip)
        self.guidelineView.setToolTip(QCoreApplication.translate("Composer", u"Posture guidelines of this template's category", None))
#endif // QT_CONFIG(tooltip)
        self.editor.setPlaceholderText(QCoreApplication.translate("Composer", u"Write a reply\u2026 (r to focus, / for templates, Ctrl+Enter to send)", None))
        self.templateButton.setText(QCoreApplication.translate("Composer", u"Templates\u2026", None))
        self.sendButton.setText(QCoreApplication.translate("Composer", u"Send reply", None))
        pass
    # retranslateUi

