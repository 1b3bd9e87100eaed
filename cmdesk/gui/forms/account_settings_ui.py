# Generated from ui/account_settings.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'account_settings.ui'
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
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog,
    QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLayout, QPlainTextEdit, QProgressBar, QPushButton,
    QSizePolicy, QSpacerItem, QSpinBox, QVBoxLayout,
    QWidget)

class Ui_AccountSettings(object):
    def setupUi(self, AccountSettings):
        if not AccountSettings.objectName():
            AccountSettings.setObjectName(u"AccountSettings")
        AccountSettings.resize(580, 520)
        self.layout = QVBoxLayout(AccountSettings)
        self.layout.setSpacing(8)
        self.layout.setObjectName(u"layout")
        self.layout.setSizeConstraint(QLayout.SetMinimumSize)
        self.accountForm = QFormLayout()
        self.accountForm.setObjectName(u"accountForm")
        self.accountLabel = QLabel(AccountSettings)
        self.accountLabel.setObjectName(u"accountLabel")

        self.accountForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.accountLabel)

        self.accountCombo = QComboBox(AccountSettings)
        self.accountCombo.setObjectName(u"accountCombo")

        self.accountForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.accountCombo)


        self.layout.addLayout(self.accountForm)

        self.infoLabel = QLabel(AccountSettings)
        self.infoLabel.setObjectName(u"infoLabel")
        self.infoLabel.setTextFormat(Qt.PlainText)
        self.infoLabel.setWordWrap(True)
        self.infoLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.infoLabel)

        self.stateLabel = QLabel(AccountSettings)
        self.stateLabel.setObjectName(u"stateLabel")
        self.stateLabel.setTextFormat(Qt.PlainText)
        self.stateLabel.setWordWrap(True)
        self.stateLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.stateLabel)

        self.syncBox = QGroupBox(AccountSettings)
        self.syncBox.setObjectName(u"syncBox")
        self.syncForm = QFormLayout(self.syncBox)
        self.syncForm.setObjectName(u"syncForm")
        self.defaultIntervalCheck = QCheckBox(self.syncBox)
        self.defaultIntervalCheck.setObjectName(u"defaultIntervalCheck")

        self.syncForm.setWidget(0, QFormLayout.ItemRole.SpanningRole, self.defaultIntervalCheck)

        self.intervalLabel = QLabel(self.syncBox)
        self.intervalLabel.setObjectName(u"intervalLabel")

        self.syncForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.intervalLabel)

        self.intervalSpin = QSpinBox(self.syncBox)
        self.intervalSpin.setObjectName(u"intervalSpin")
        self.intervalSpin.setMinimum(15)
        self.intervalSpin.setMaximum(86400)
        self.intervalSpin.setSingleStep(15)
        self.intervalSpin.setValue(60)

        self.syncForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.intervalSpin)

        self.intervalHelp = QLabel(self.syncBox)
        self.intervalHelp.setObjectName(u"intervalHelp")
        self.intervalHelp.setTextFormat(Qt.PlainText)
        self.intervalHelp.setWordWrap(True)

        self.syncForm.setWidget(2, QFormLayout.ItemRole.SpanningRole, self.intervalHelp)


        self.layout.addWidget(self.syncBox)

        self.mastodonBox = QGroupBox(AccountSettings)
        self.mastodonBox.setObjectName(u"mastodonBox")
        self.mastodonForm = QFormLayout(self.mastodonBox)
        self.mastodonForm.setObjectName(u"mastodonForm")
        self.banTypeLabel = QLabel(self.mastodonBox)
        self.banTypeLabel.setObjectName(u"banTypeLabel")

        self.mastodonForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.banTypeLabel)

        self.banTypeCombo = QComboBox(self.mastodonBox)
        self.banTypeCombo.setObjectName(u"banTypeCombo")

        self.mastodonForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.banTypeCombo)

        self.banTypeHelp = QLabel(self.mastodonBox)
        self.banTypeHelp.setObjectName(u"banTypeHelp")
        self.banTypeHelp.setTextFormat(Qt.PlainText)
        self.banTypeHelp.setWordWrap(True)

        self.mastodonForm.setWidget(1, QFormLayout.ItemRole.SpanningRole, self.banTypeHelp)


        self.layout.addWidget(self.mastodonBox)

        self.matrixBox = QGroupBox(AccountSettings)
        self.matrixBox.setObjectName(u"matrixBox")
        self.matrixLayout = QVBoxLayout(self.matrixBox)
        self.matrixLayout.setObjectName(u"matrixLayout")
        self.roomsEdit = QPlainTextEdit(self.matrixBox)
        self.roomsEdit.setObjectName(u"roomsEdit")
        self.roomsEdit.setMaximumSize(QSize(16777215, 90))
        self.roomsEdit.setTabChangesFocus(True)

        self.matrixLayout.addWidget(self.roomsEdit)

        self.roomsHelp = QLabel(self.matrixBox)
        self.roomsHelp.setObjectName(u"roomsHelp")
        self.roomsHelp.setTextFormat(Qt.PlainText)
        self.roomsHelp.setWordWrap(True)

        self.matrixLayout.addWidget(self.roomsHelp)


        self.layout.addWidget(self.matrixBox)

        self.notificationsLabel = QLabel(AccountSettings)
        self.notificationsLabel.setObjectName(u"notificationsLabel")
        self.notificationsLabel.setTextFormat(Qt.PlainText)
        self.notificationsLabel.setWordWrap(True)

        self.layout.addWidget(self.notificationsLabel)

        self.errorLabel = QLabel(AccountSettings)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setTextFormat(Qt.PlainText)
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.errorLabel)

        self.progressBar = QProgressBar(AccountSettings)
        self.progressBar.setObjectName(u"progressBar")
        self.progressBar.setMinimum(0)
        self.progressBar.setMaximum(0)
        self.progressBar.setTextVisible(False)

        self.layout.addWidget(self.progressBar)

        self.verticalSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.layout.addItem(self.verticalSpacer)

        self.accountButtons = QHBoxLayout()
        self.accountButtons.setObjectName(u"accountButtons")
        self.signInAgainButton = QPushButton(AccountSettings)
        self.signInAgainButton.setObjectName(u"signInAgainButton")
        self.signInAgainButton.setAutoDefault(False)

        self.accountButtons.addWidget(self.signInAgainButton)

        self.signOutButton = QPushButton(AccountSettings)
        self.signOutButton.setObjectName(u"signOutButton")
        self.signOutButton.setAutoDefault(False)

        self.accountButtons.addWidget(self.signOutButton)

        self.removeButton = QPushButton(AccountSettings)
        self.removeButton.setObjectName(u"removeButton")
        self.removeButton.setAutoDefault(False)

        self.accountButtons.addWidget(self.removeButton)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.accountButtons.addItem(self.buttonSpacer)

        self.closeButton = QPushButton(AccountSettings)
        self.closeButton.setObjectName(u"closeButton")
        self.closeButton.setAutoDefault(False)

        self.accountButtons.addWidget(self.closeButton)

        self.saveButton = QPushButton(AccountSettings)
        self.saveButton.setObjectName(u"saveButton")

        self.accountButtons.addWidget(self.saveButton)


        self.layout.addLayout(self.accountButtons)

#if QT_CONFIG(shortcut)
        self.accountLabel.setBuddy(self.accountCombo)
        self.intervalLabel.setBuddy(self.intervalSpin)
        self.banTypeLabel.setBuddy(self.banTypeCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(AccountSettings)

        self.saveButton.setDefault(True)

    # setupUi

    def retranslateUi(self, AccountSettings):
        AccountSettings.setWindowTitle(QCoreApplication.translate("AccountSettings", u"Account settings", None))
        self.accountLabel.setText(QCoreApplication.translate("AccountSettings", u"&Account", None))
        self.syncBox.setTitle(QCoreApplication.translate("AccountSettings", u"Sync", None))
        self.defaultIntervalCheck.setText(QCoreApplication.translate("AccountSettings", u"Use the workspace's interval", None))
        self.intervalLabel.setText(QCoreApplication.translate("AccountSettings", u"Check &every", None))
        self.intervalHelp.setText(QCoreApplication.translate("AccountSettings", u"While a conversation is active CMDesk checks more often; a quiet account is checked less often.", None))
        self.mastodonBox.setTitle(QCoreApplication.translate("AccountSettings", u"Moderation on Mastodon", None))
        self.banTypeLabel.setText(QCoreApplication.translate("AccountSettings", u"&Banning an author", None))
        self.matrixBox.setTitle(QCoreApplication.translate("AccountSettings", u"Rooms to sync", None))
        self.roomsEdit.setPlaceholderText(QCoreApplication.translate("AccountSettings", u"#community:example.org", None))
        self.roomsHelp.setText(QCoreApplication.translate("AccountSettings", u"One room per line (an alias #room:server or an id !id:server). Empty: every room this account has joined.", None))
        self.signInAgainButton.setText(QCoreApplication.translate("AccountSettings", u"Sign in again\u2026", None))
        self.signOutButton.setText(QCoreApplication.translate("AccountSettings", u"Sign out", None))
        self.removeButton.setText(QCoreApplication.translate("AccountSettings", u"Remove account\u2026", None))
        self.closeButton.setText(QCoreApplication.translate("AccountSettings", u"Close", None))
        self.saveButton.setText(QCoreApplication.translate("AccountSettings", u"Save", None))
    # retranslateUi

