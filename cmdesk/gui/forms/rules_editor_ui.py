# Generated from ui/rules_editor.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'rules_editor.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPlainTextEdit, QProgressBar, QPushButton, QSizePolicy,
    QSpacerItem, QSplitter, QTabWidget, QTextEdit,
    QVBoxLayout, QWidget)

class Ui_RulesEditor(object):
    def setupUi(self, RulesEditor):
        if not RulesEditor.objectName():
            RulesEditor.setObjectName(u"RulesEditor")
        RulesEditor.resize(1180, 760)
        self.layout = QVBoxLayout(RulesEditor)
        self.layout.setObjectName(u"layout")
        self.tabs = QTabWidget(RulesEditor)
        self.tabs.setObjectName(u"tabs")
        self.rulesTab = QWidget()
        self.rulesTab.setObjectName(u"rulesTab")
        self.rulesLayout = QHBoxLayout(self.rulesTab)
        self.rulesLayout.setObjectName(u"rulesLayout")
        self.splitter = QSplitter(self.rulesTab)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Horizontal)
        self.leftPane = QWidget(self.splitter)
        self.leftPane.setObjectName(u"leftPane")
        self.leftLayout = QVBoxLayout(self.leftPane)
        self.leftLayout.setObjectName(u"leftLayout")
        self.leftLayout.setContentsMargins(0, 0, 0, 0)
        self.ruleListLabel = QLabel(self.leftPane)
        self.ruleListLabel.setObjectName(u"ruleListLabel")
        self.ruleListLabel.setWordWrap(True)

        self.leftLayout.addWidget(self.ruleListLabel)

        self.ruleList = QListWidget(self.leftPane)
        self.ruleList.setObjectName(u"ruleList")

        self.leftLayout.addWidget(self.ruleList)

        self.problemsLabel = QLabel(self.leftPane)
        self.problemsLabel.setObjectName(u"problemsLabel")
        self.problemsLabel.setTextFormat(Qt.PlainText)
        self.problemsLabel.setWordWrap(True)

        self.leftLayout.addWidget(self.problemsLabel)

        self.splitter.addWidget(self.leftPane)
        self.editor = QPlainTextEdit(self.splitter)
        self.editor.setObjectName(u"editor")
        self.editor.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.editor.setTabChangesFocus(False)
        self.splitter.addWidget(self.editor)
        self.previewPane = QWidget(self.splitter)
        self.previewPane.setObjectName(u"previewPane")
        self.previewLayout = QVBoxLayout(self.previewPane)
        self.previewLayout.setObjectName(u"previewLayout")
        self.previewLayout.setContentsMargins(0, 0, 0, 0)
        self.previewButtons = QHBoxLayout()
        self.previewButtons.setObjectName(u"previewButtons")
        self.previewButton = QPushButton(self.previewPane)
        self.previewButton.setObjectName(u"previewButton")

        self.previewButtons.addWidget(self.previewButton)

        self.cancelButton = QPushButton(self.previewPane)
        self.cancelButton.setObjectName(u"cancelButton")

        self.previewButtons.addWidget(self.cancelButton)


        self.previewLayout.addLayout(self.previewButtons)

        self.progress = QProgressBar(self.previewPane)
        self.progress.setObjectName(u"progress")

        self.previewLayout.addWidget(self.progress)

        self.previewSummary = QLabel(self.previewPane)
        self.previewSummary.setObjectName(u"previewSummary")
        self.previewSummary.setTextFormat(Qt.PlainText)
        self.previewSummary.setWordWrap(True)

        self.previewLayout.addWidget(self.previewSummary)

        self.chartHost = QWidget(self.previewPane)
        self.chartHost.setObjectName(u"chartHost")
        self.chartHost.setMinimumSize(QSize(0, 120))
        self.chartLayout = QVBoxLayout(self.chartHost)
        self.chartLayout.setObjectName(u"chartLayout")
        self.chartLayout.setContentsMargins(0, 0, 0, 0)

        self.previewLayout.addWidget(self.chartHost)

        self.samples = QTextEdit(self.previewPane)
        self.samples.setObjectName(u"samples")
        self.samples.setReadOnly(True)
        self.samples.setAcceptRichText(False)

        self.previewLayout.addWidget(self.samples)

        self.splitter.addWidget(self.previewPane)

        self.rulesLayout.addWidget(self.splitter)

        self.tabs.addTab(self.rulesTab, "")
        self.learningTab = QWidget()
        self.learningTab.setObjectName(u"learningTab")
        self.learningLayout = QVBoxLayout(self.learningTab)
        self.learningLayout.setObjectName(u"learningLayout")
        self.learningText = QLabel(self.learningTab)
        self.learningText.setObjectName(u"learningText")
        self.learningText.setTextFormat(Qt.PlainText)
        self.learningText.setWordWrap(True)

        self.learningLayout.addWidget(self.learningText)

        self.retrainButton = QPushButton(self.learningTab)
        self.retrainButton.setObjectName(u"retrainButton")

        self.learningLayout.addWidget(self.retrainButton)

        self.learningSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.learningLayout.addItem(self.learningSpacer)

        self.tabs.addTab(self.learningTab, "")

        self.layout.addWidget(self.tabs)

        self.bottomRow = QHBoxLayout()
        self.bottomRow.setObjectName(u"bottomRow")
        self.importButton = QPushButton(RulesEditor)
        self.importButton.setObjectName(u"importButton")

        self.bottomRow.addWidget(self.importButton)

        self.exportButton = QPushButton(RulesEditor)
        self.exportButton.setObjectName(u"exportButton")

        self.bottomRow.addWidget(self.exportButton)

        self.starterButton = QPushButton(RulesEditor)
        self.starterButton.setObjectName(u"starterButton")

        self.bottomRow.addWidget(self.starterButton)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.bottomRow.addItem(self.bottomSpacer)

        self.buttons = QDialogButtonBox(RulesEditor)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.bottomRow.addWidget(self.buttons)


        self.layout.addLayout(self.bottomRow)


        self.retranslateUi(RulesEditor)
    # setupUi

    def retranslateUi(self, RulesEditor):
        RulesEditor.setWindowTitle(QCoreApplication.translate("RulesEditor", u"Moderation rules", None))
        self.ruleListLabel.setText(QCoreApplication.translate("RulesEditor", u"Rules, in the order they are tried (the first match decides):", None))
        self.previewButton.setText(QCoreApplication.translate("RulesEditor", u"Preview on history", None))
        self.cancelButton.setText(QCoreApplication.translate("RulesEditor", u"Cancel", None))
        self.tabs.setTabText(self.tabs.indexOf(self.rulesTab), QCoreApplication.translate("RulesEditor", u"Rules", None))
        self.retrainButton.setText(QCoreApplication.translate("RulesEditor", u"Retrain from my decisions", None))
        self.tabs.setTabText(self.tabs.indexOf(self.learningTab), QCoreApplication.translate("RulesEditor", u"Learning", None))
        self.importButton.setText(QCoreApplication.translate("RulesEditor", u"Import\u2026", None))
        self.exportButton.setText(QCoreApplication.translate("RulesEditor", u"Export\u2026", None))
        self.starterButton.setText(QCoreApplication.translate("RulesEditor", u"Restore the starter rules", None))
    # retranslateUi

