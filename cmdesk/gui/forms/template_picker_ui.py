# Generated from ui/template_picker.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'template_picker.ui'
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
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel,
    QListWidget, QListWidgetItem, QPlainTextEdit, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_TemplatePicker(object):
    def setupUi(self, TemplatePicker):
        if not TemplatePicker.objectName():
            TemplatePicker.setObjectName(u"TemplatePicker")
        TemplatePicker.resize(640, 280)
        TemplatePicker.setFocusPolicy(Qt.NoFocus)
        TemplatePicker.setFrameShape(QFrame.StyledPanel)
        TemplatePicker.setAutoFillBackground(True)
        self.layout = QVBoxLayout(TemplatePicker)
        self.layout.setSpacing(4)
        self.layout.setObjectName(u"layout")
        self.layout.setContentsMargins(6, 6, 6, 6)
        self.headerLabel = QLabel(TemplatePicker)
        self.headerLabel.setObjectName(u"headerLabel")
        self.headerLabel.setTextFormat(Qt.PlainText)

        self.layout.addWidget(self.headerLabel)

        self.body = QHBoxLayout()
        self.body.setObjectName(u"body")
        self.matchList = QListWidget(TemplatePicker)
        self.matchList.setObjectName(u"matchList")
        self.matchList.setFocusPolicy(Qt.NoFocus)
        self.matchList.setMinimumSize(QSize(230, 0))
        self.matchList.setUniformItemSizes(True)

        self.body.addWidget(self.matchList)

        self.previewColumn = QVBoxLayout()
        self.previewColumn.setObjectName(u"previewColumn")
        self.previewTitle = QLabel(TemplatePicker)
        self.previewTitle.setObjectName(u"previewTitle")
        self.previewTitle.setTextFormat(Qt.PlainText)
        self.previewTitle.setWordWrap(True)

        self.previewColumn.addWidget(self.previewTitle)

        self.preview = QPlainTextEdit(TemplatePicker)
        self.preview.setObjectName(u"preview")
        self.preview.setFocusPolicy(Qt.NoFocus)
        self.preview.setReadOnly(True)

        self.previewColumn.addWidget(self.preview)

        self.infoLabel = QLabel(TemplatePicker)
        self.infoLabel.setObjectName(u"infoLabel")
        self.infoLabel.setTextFormat(Qt.PlainText)
        self.infoLabel.setWordWrap(True)

        self.previewColumn.addWidget(self.infoLabel)


        self.body.addLayout(self.previewColumn)


        self.layout.addLayout(self.body)


        self.retranslateUi(TemplatePicker)
    # setupUi

    def retranslateUi(self, TemplatePicker):
        self.headerLabel.setText(QCoreApplication.translate("TemplatePicker", u"Templates \u2014 keep typing to search \u00b7 \u2191\u2193 choose \u00b7 Enter insert \u00b7 Esc close", None))
        pass
    # retranslateUi

