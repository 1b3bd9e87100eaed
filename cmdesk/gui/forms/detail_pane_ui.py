# Generated from ui/detail_pane.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'detail_pane.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QLabel,
    QLineEdit, QListView, QPlainTextEdit, QPushButton,
    QSizePolicy, QSpacerItem, QTabWidget, QToolButton,
    QVBoxLayout, QWidget)

class Ui_DetailPane(object):
    def setupUi(self, DetailPane):
        if not DetailPane.objectName():
            DetailPane.setObjectName(u"DetailPane")
        DetailPane.resize(520, 760)
        self.layout = QVBoxLayout(DetailPane)
        self.layout.setSpacing(6)
        self.layout.setObjectName(u"layout")
        self.layout.setContentsMargins(10, 8, 10, 8)
        self.authorLabel = QLabel(DetailPane)
        self.authorLabel.setObjectName(u"authorLabel")
        self.authorLabel.setTextFormat(Qt.PlainText)
        self.authorLabel.setWordWrap(True)

        self.layout.addWidget(self.authorLabel)

        self.metaLabel = QLabel(DetailPane)
        self.metaLabel.setObjectName(u"metaLabel")
        self.metaLabel.setTextFormat(Qt.PlainText)
        self.metaLabel.setWordWrap(True)

        self.layout.addWidget(self.metaLabel)

        self.flagLabel = QLabel(DetailPane)
        self.flagLabel.setObjectName(u"flagLabel")
        self.flagLabel.setTextFormat(Qt.PlainText)
        self.flagLabel.setWordWrap(True)

        self.layout.addWidget(self.flagLabel)

        self.tagRow = QHBoxLayout()
        self.tagRow.setObjectName(u"tagRow")
        self.tagsLabel = QLabel(DetailPane)
        self.tagsLabel.setObjectName(u"tagsLabel")
        self.tagsLabel.setTextFormat(Qt.PlainText)
        self.tagsLabel.setWordWrap(True)

        self.tagRow.addWidget(self.tagsLabel)

        self.tagEdit = QLineEdit(DetailPane)
        self.tagEdit.setObjectName(u"tagEdit")
        self.tagEdit.setMaximumSize(QSize(180, 16777215))

        self.tagRow.addWidget(self.tagEdit)

        self.openButton = QToolButton(DetailPane)
        self.openButton.setObjectName(u"openButton")

        self.tagRow.addWidget(self.openButton)


        self.layout.addLayout(self.tagRow)

        self.bodyView = QPlainTextEdit(DetailPane)
        self.bodyView.setObjectName(u"bodyView")
        self.bodyView.setReadOnly(True)
        self.bodyView.setMaximumSize(QSize(16777215, 150))

        self.layout.addWidget(self.bodyView)

        self.actionRow = QHBoxLayout()
        self.actionRow.setObjectName(u"actionRow")
        self.doneButton = QPushButton(DetailPane)
        self.doneButton.setObjectName(u"doneButton")

        self.actionRow.addWidget(self.doneButton)

        self.spamButton = QPushButton(DetailPane)
        self.spamButton.setObjectName(u"spamButton")

        self.actionRow.addWidget(self.spamButton)

        self.hideButton = QPushButton(DetailPane)
        self.hideButton.setObjectName(u"hideButton")

        self.actionRow.addWidget(self.hideButton)

        self.unhideButton = QPushButton(DetailPane)
        self.unhideButton.setObjectName(u"unhideButton")

        self.actionRow.addWidget(self.unhideButton)

        self.deleteButton = QPushButton(DetailPane)
        self.deleteButton.setObjectName(u"deleteButton")

        self.actionRow.addWidget(self.deleteButton)

        self.moreButton = QToolButton(DetailPane)
        self.moreButton.setObjectName(u"moreButton")
        self.moreButton.setPopupMode(QToolButton.InstantPopup)

        self.actionRow.addWidget(self.moreButton)

        self.actionSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.actionRow.addItem(self.actionSpacer)


        self.layout.addLayout(self.actionRow)

        self.outboxBox = QWidget(DetailPane)
        self.outboxBox.setObjectName(u"outboxBox")
        self.outboxLayout = QVBoxLayout(self.outboxBox)
        self.outboxLayout.setSpacing(2)
        self.outboxLayout.setObjectName(u"outboxLayout")
        self.outboxLayout.setContentsMargins(0, 0, 0, 0)

        self.layout.addWidget(self.outboxBox)

        self.tabs = QTabWidget(DetailPane)
        self.tabs.setObjectName(u"tabs")
        self.threadTab = QWidget()
        self.threadTab.setObjectName(u"threadTab")
        self.threadLayout = QVBoxLayout(self.threadTab)
        self.threadLayout.setObjectName(u"threadLayout")
        self.threadView = QListView(self.threadTab)
        self.threadView.setObjectName(u"threadView")
        self.threadView.setWordWrap(True)
        self.threadView.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.threadView.setResizeMode(QListView.Adjust)
        self.threadView.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.threadView.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)

        self.threadLayout.addWidget(self.threadView)

        self.tabs.addTab(self.threadTab, "")
        self.authorTab = QWidget()
        self.authorTab.setObjectName(u"authorTab")
        self.authorLayout = QVBoxLayout(self.authorTab)
        self.authorLayout.setObjectName(u"authorLayout")
        self.authorSummary = QLabel(self.authorTab)
        self.authorSummary.setObjectName(u"authorSummary")
        self.authorSummary.setTextFormat(Qt.PlainText)
        self.authorSummary.setWordWrap(True)

        self.authorLayout.addWidget(self.authorSummary)

        self.authorView = QListView(self.authorTab)
        self.authorView.setObjectName(u"authorView")
        self.authorView.setWordWrap(True)
        self.authorView.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.authorView.setResizeMode(QListView.Adjust)
        self.authorView.setEditTriggers(QAbstractItemView.NoEditTriggers)

        self.authorLayout.addWidget(self.authorView)

        self.tabs.addTab(self.authorTab, "")
        self.notesTab = QWidget()
        self.notesTab.setObjectName(u"notesTab")
        self.notesLayout = QVBoxLayout(self.notesTab)
        self.notesLayout.setObjectName(u"notesLayout")
        self.notesView = QListView(self.notesTab)
        self.notesView.setObjectName(u"notesView")
        self.notesView.setWordWrap(True)
        self.notesView.setEditTriggers(QAbstractItemView.NoEditTriggers)

        self.notesLayout.addWidget(self.notesView)

        self.noteRow = QHBoxLayout()
        self.noteRow.setObjectName(u"noteRow")
        self.noteEdit = QLineEdit(self.notesTab)
        self.noteEdit.setObjectName(u"noteEdit")

        self.noteRow.addWidget(self.noteEdit)

        self.noteButton = QPushButton(self.notesTab)
        self.noteButton.setObjectName(u"noteButton")

        self.noteRow.addWidget(self.noteButton)


        self.notesLayout.addLayout(self.noteRow)

        self.tabs.addTab(self.notesTab, "")
        self.historyTab = QWidget()
        self.historyTab.setObjectName(u"historyTab")
        self.historyLayout = QVBoxLayout(self.historyTab)
        self.historyLayout.setObjectName(u"historyLayout")
        self.historyView = QListView(self.historyTab)
        self.historyView.setObjectName(u"historyView")
        self.historyView.setWordWrap(True)
        self.historyView.setEditTriggers(QAbstractItemView.NoEditTriggers)

        self.historyLayout.addWidget(self.historyView)

        self.tabs.addTab(self.historyTab, "")

        self.layout.addWidget(self.tabs)

        self.composerHost = QWidget(DetailPane)
        self.composerHost.setObjectName(u"composerHost")
        self.composerLayout = QVBoxLayout(self.composerHost)
        self.composerLayout.setObjectName(u"composerLayout")
        self.composerLayout.setContentsMargins(0, 0, 0, 0)

        self.layout.addWidget(self.composerHost)


        self.retranslateUi(DetailPane)
    # setupUi

    def retranslateUi(self, DetailPane):
        self.tagEdit.setPlaceholderText(QCoreApplication.translate("DetailPane", u"Add a tag (t)", None))
        self.openButton.setText(QCoreApplication.translate("DetailPane", u"Open on platform", None))
        self.doneButton.setText(QCoreApplication.translate("DetailPane", u"Done (e)", None))
        self.spamButton.setText(QCoreApplication.translate("DetailPane", u"Spam", None))
        self.hideButton.setText(QCoreApplication.translate("DetailPane", u"Hide (h)", None))
        self.unhideButton.setText(QCoreApplication.translate("DetailPane", u"Unhide (u)", None))
        self.deleteButton.setText(QCoreApplication.translate("DetailPane", u"Delete\u2026", None))
        self.moreButton.setText(QCoreApplication.translate("DetailPane", u"Author\u2026", None))
        self.tabs.setTabText(self.tabs.indexOf(self.threadTab), QCoreApplication.translate("DetailPane", u"Conversation", None))
        self.tabs.setTabText(self.tabs.indexOf(self.authorTab), QCoreApplication.translate("DetailPane", u"Author", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("DetailPane", u"Internal note, never sent (n)", None))
        self.noteButton.setText(QCoreApplication.translate("DetailPane", u"Add note", None))
        self.tabs.setTabText(self.tabs.indexOf(self.notesTab), QCoreApplication.translate("DetailPane", u"Notes", None))
        self.tabs.setTabText(self.tabs.indexOf(self.historyTab), QCoreApplication.translate("DetailPane", u"History", None))
        pass
    # retranslateUi

