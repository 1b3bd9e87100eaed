# Generated from ui/command_palette.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'command_palette.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QLineEdit,
    QListView, QSizePolicy, QVBoxLayout, QWidget)

class Ui_CommandPalette(object):
    def setupUi(self, CommandPalette):
        if not CommandPalette.objectName():
            CommandPalette.setObjectName(u"CommandPalette")
        CommandPalette.resize(560, 420)
        self.layout = QVBoxLayout(CommandPalette)
        self.layout.setObjectName(u"layout")
        self.filterEdit = QLineEdit(CommandPalette)
        self.filterEdit.setObjectName(u"filterEdit")

        self.layout.addWidget(self.filterEdit)

        self.commandList = QListView(CommandPalette)
        self.commandList.setObjectName(u"commandList")
        self.commandList.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.commandList.setUniformItemSizes(True)

        self.layout.addWidget(self.commandList)


        self.retranslateUi(CommandPalette)
    # setupUi

    def retranslateUi(self, CommandPalette):
        CommandPalette.setWindowTitle(QCoreApplication.translate("CommandPalette", u"Command palette", None))
        self.filterEdit.setPlaceholderText(QCoreApplication.translate("CommandPalette", u"Type a command\u2026", None))
    # retranslateUi

