# Generated from ui/account_dialog.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'account_dialog.ui'
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
    QLayout, QLineEdit, QProgressBar, QPushButton,
    QSizePolicy, QSpacerItem, QStackedWidget, QVBoxLayout,
    QWidget)

class Ui_AccountDialog(object):
    def setupUi(self, AccountDialog):
        if not AccountDialog.objectName():
            AccountDialog.setObjectName(u"AccountDialog")
        AccountDialog.resize(560, 520)
        self.layout = QVBoxLayout(AccountDialog)
        self.layout.setSpacing(8)
        self.layout.setObjectName(u"layout")
        self.layout.setSizeConstraint(QLayout.SetMinimumSize)
        self.introLabel = QLabel(AccountDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setTextFormat(Qt.PlainText)
        self.introLabel.setWordWrap(True)

        self.layout.addWidget(self.introLabel)

        self.topForm = QFormLayout()
        self.topForm.setObjectName(u"topForm")
        self.platformLabel = QLabel(AccountDialog)
        self.platformLabel.setObjectName(u"platformLabel")

        self.topForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.platformLabel)

        self.platformCombo = QComboBox(AccountDialog)
        self.platformCombo.setObjectName(u"platformCombo")

        self.topForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.platformCombo)

        self.nameLabel = QLabel(AccountDialog)
        self.nameLabel.setObjectName(u"nameLabel")

        self.topForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(AccountDialog)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMaxLength(120)

        self.topForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.nameEdit)


        self.layout.addLayout(self.topForm)

        self.pages = QStackedWidget(AccountDialog)
        self.pages.setObjectName(u"pages")
        self.mastodonPage = QWidget()
        self.mastodonPage.setObjectName(u"mastodonPage")
        self.mastodonLayout = QVBoxLayout(self.mastodonPage)
        self.mastodonLayout.setObjectName(u"mastodonLayout")
        self.mastodonLayout.setContentsMargins(0, -1, 0, -1)
        self.mastodonForm = QFormLayout()
        self.mastodonForm.setObjectName(u"mastodonForm")
        self.instanceLabel = QLabel(self.mastodonPage)
        self.instanceLabel.setObjectName(u"instanceLabel")

        self.mastodonForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.instanceLabel)

        self.instanceEdit = QLineEdit(self.mastodonPage)
        self.instanceEdit.setObjectName(u"instanceEdit")

        self.mastodonForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.instanceEdit)


        self.mastodonLayout.addLayout(self.mastodonForm)

        self.adminCheck = QCheckBox(self.mastodonPage)
        self.adminCheck.setObjectName(u"adminCheck")

        self.mastodonLayout.addWidget(self.adminCheck)

        self.mastodonHelp = QLabel(self.mastodonPage)
        self.mastodonHelp.setObjectName(u"mastodonHelp")
        self.mastodonHelp.setTextFormat(Qt.PlainText)
        self.mastodonHelp.setWordWrap(True)

        self.mastodonLayout.addWidget(self.mastodonHelp)

        self.browserBox = QGroupBox(self.mastodonPage)
        self.browserBox.setObjectName(u"browserBox")
        self.browserLayout = QVBoxLayout(self.browserBox)
        self.browserLayout.setObjectName(u"browserLayout")
        self.browserLabel = QLabel(self.browserBox)
        self.browserLabel.setObjectName(u"browserLabel")
        self.browserLabel.setTextFormat(Qt.PlainText)
        self.browserLabel.setWordWrap(True)

        self.browserLayout.addWidget(self.browserLabel)

        self.browserButtons = QHBoxLayout()
        self.browserButtons.setObjectName(u"browserButtons")
        self.openAgainButton = QPushButton(self.browserBox)
        self.openAgainButton.setObjectName(u"openAgainButton")
        self.openAgainButton.setAutoDefault(False)

        self.browserButtons.addWidget(self.openAgainButton)

        self.copyLinkButton = QPushButton(self.browserBox)
        self.copyLinkButton.setObjectName(u"copyLinkButton")
        self.copyLinkButton.setAutoDefault(False)

        self.browserButtons.addWidget(self.copyLinkButton)

        self.browserSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.browserButtons.addItem(self.browserSpacer)


        self.browserLayout.addLayout(self.browserButtons)

        self.codeHelp = QLabel(self.browserBox)
        self.codeHelp.setObjectName(u"codeHelp")
        self.codeHelp.setTextFormat(Qt.PlainText)
        self.codeHelp.setWordWrap(True)

        self.browserLayout.addWidget(self.codeHelp)

        self.codeRow = QHBoxLayout()
        self.codeRow.setObjectName(u"codeRow")
        self.codePageButton = QPushButton(self.browserBox)
        self.codePageButton.setObjectName(u"codePageButton")
        self.codePageButton.setAutoDefault(False)

        self.codeRow.addWidget(self.codePageButton)

        self.codeEdit = QLineEdit(self.browserBox)
        self.codeEdit.setObjectName(u"codeEdit")

        self.codeRow.addWidget(self.codeEdit)

        self.useCodeButton = QPushButton(self.browserBox)
        self.useCodeButton.setObjectName(u"useCodeButton")
        self.useCodeButton.setAutoDefault(False)

        self.codeRow.addWidget(self.useCodeButton)


        self.browserLayout.addLayout(self.codeRow)


        self.mastodonLayout.addWidget(self.browserBox)

        self.mastodonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mastodonLayout.addItem(self.mastodonSpacer)

        self.pages.addWidget(self.mastodonPage)
        self.blueskyPage = QWidget()
        self.blueskyPage.setObjectName(u"blueskyPage")
        self.blueskyLayout = QVBoxLayout(self.blueskyPage)
        self.blueskyLayout.setObjectName(u"blueskyLayout")
        self.blueskyLayout.setContentsMargins(0, -1, 0, -1)
        self.blueskyForm = QFormLayout()
        self.blueskyForm.setObjectName(u"blueskyForm")
        self.handleLabel = QLabel(self.blueskyPage)
        self.handleLabel.setObjectName(u"handleLabel")

        self.blueskyForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.handleLabel)

        self.handleEdit = QLineEdit(self.blueskyPage)
        self.handleEdit.setObjectName(u"handleEdit")

        self.blueskyForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.handleEdit)

        self.appPasswordLabel = QLabel(self.blueskyPage)
        self.appPasswordLabel.setObjectName(u"appPasswordLabel")

        self.blueskyForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.appPasswordLabel)

        self.appPasswordEdit = QLineEdit(self.blueskyPage)
        self.appPasswordEdit.setObjectName(u"appPasswordEdit")
        self.appPasswordEdit.setEchoMode(QLineEdit.Password)

        self.blueskyForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.appPasswordEdit)

        self.serverLabel = QLabel(self.blueskyPage)
        self.serverLabel.setObjectName(u"serverLabel")

        self.blueskyForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.serverLabel)

        self.serverEdit = QLineEdit(self.blueskyPage)
        self.serverEdit.setObjectName(u"serverEdit")

        self.blueskyForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.serverEdit)


        self.blueskyLayout.addLayout(self.blueskyForm)

        self.blueskyHelp = QLabel(self.blueskyPage)
        self.blueskyHelp.setObjectName(u"blueskyHelp")
        self.blueskyHelp.setTextFormat(Qt.PlainText)
        self.blueskyHelp.setWordWrap(True)

        self.blueskyLayout.addWidget(self.blueskyHelp)

        self.blueskySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.blueskyLayout.addItem(self.blueskySpacer)

        self.pages.addWidget(self.blueskyPage)
        self.matrixPage = QWidget()
        self.matrixPage.setObjectName(u"matrixPage")
        self.matrixLayout = QVBoxLayout(self.matrixPage)
        self.matrixLayout.setObjectName(u"matrixLayout")
        self.matrixLayout.setContentsMargins(0, -1, 0, -1)
        self.matrixForm = QFormLayout()
        self.matrixForm.setObjectName(u"matrixForm")
        self.homeserverLabel = QLabel(self.matrixPage)
        self.homeserverLabel.setObjectName(u"homeserverLabel")

        self.matrixForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.homeserverLabel)

        self.homeserverEdit = QLineEdit(self.matrixPage)
        self.homeserverEdit.setObjectName(u"homeserverEdit")

        self.matrixForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.homeserverEdit)

        self.userLabel = QLabel(self.matrixPage)
        self.userLabel.setObjectName(u"userLabel")

        self.matrixForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(self.matrixPage)
        self.userEdit.setObjectName(u"userEdit")

        self.matrixForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.matrixPasswordLabel = QLabel(self.matrixPage)
        self.matrixPasswordLabel.setObjectName(u"matrixPasswordLabel")

        self.matrixForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.matrixPasswordLabel)

        self.matrixPasswordEdit = QLineEdit(self.matrixPage)
        self.matrixPasswordEdit.setObjectName(u"matrixPasswordEdit")
        self.matrixPasswordEdit.setEchoMode(QLineEdit.Password)

        self.matrixForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.matrixPasswordEdit)


        self.matrixLayout.addLayout(self.matrixForm)

        self.tokenCheck = QCheckBox(self.matrixPage)
        self.tokenCheck.setObjectName(u"tokenCheck")

        self.matrixLayout.addWidget(self.tokenCheck)

        self.matrixHelp = QLabel(self.matrixPage)
        self.matrixHelp.setObjectName(u"matrixHelp")
        self.matrixHelp.setTextFormat(Qt.PlainText)
        self.matrixHelp.setWordWrap(True)

        self.matrixLayout.addWidget(self.matrixHelp)

        self.matrixSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.matrixLayout.addItem(self.matrixSpacer)

        self.pages.addWidget(self.matrixPage)

        self.layout.addWidget(self.pages)

        self.statusLabel = QLabel(AccountDialog)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setTextFormat(Qt.PlainText)
        self.statusLabel.setWordWrap(True)

        self.layout.addWidget(self.statusLabel)

        self.progressBar = QProgressBar(AccountDialog)
        self.progressBar.setObjectName(u"progressBar")
        self.progressBar.setMinimum(0)
        self.progressBar.setMaximum(0)
        self.progressBar.setTextVisible(False)

        self.layout.addWidget(self.progressBar)

        self.errorLabel = QLabel(AccountDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setTextFormat(Qt.PlainText)
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.errorLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.cancelButton = QPushButton(AccountDialog)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setAutoDefault(False)

        self.buttonRow.addWidget(self.cancelButton)

        self.signInButton = QPushButton(AccountDialog)
        self.signInButton.setObjectName(u"signInButton")

        self.buttonRow.addWidget(self.signInButton)


        self.layout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.platformLabel.setBuddy(self.platformCombo)
        self.nameLabel.setBuddy(self.nameEdit)
        self.instanceLabel.setBuddy(self.instanceEdit)
        self.handleLabel.setBuddy(self.handleEdit)
        self.appPasswordLabel.setBuddy(self.appPasswordEdit)
        self.serverLabel.setBuddy(self.serverEdit)
        self.homeserverLabel.setBuddy(self.homeserverEdit)
        self.userLabel.setBuddy(self.userEdit)
        self.matrixPasswordLabel.setBuddy(self.matrixPasswordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.platformCombo, self.nameEdit)
        QWidget.setTabOrder(self.nameEdit, self.instanceEdit)
        QWidget.setTabOrder(self.instanceEdit, self.adminCheck)
        QWidget.setTabOrder(self.adminCheck, self.handleEdit)
        QWidget.setTabOrder(self.handleEdit, self.appPasswordEdit)
        QWidget.setTabOrder(self.appPasswordEdit, self.serverEdit)
        QWidget.setTabOrder(self.serverEdit, self.homeserverEdit)
        QWidget.setTabOrder(self.homeserverEdit, self.userEdit)
        QWidget.setTabOrder(self.userEdit, self.matrixPasswordEdit)
        QWidget.setTabOrder(self.matrixPasswordEdit, self.tokenCheck)
        QWidget.setTabOrder(self.tokenCheck, self.signInButton)
        QWidget.setTabOrder(self.signInButton, self.cancelButton)

        self.retranslateUi(AccountDialog)

        self.signInButton.setDefault(True)

    # setupUi

    def retranslateUi(self, AccountDialog):
        AccountDialog.setWindowTitle(QCoreApplication.translate("AccountDialog", u"Add account", None))
        self.introLabel.setText(QCoreApplication.translate("AccountDialog", u"Sign in to the account CMDesk should sync. Passwords and tokens are kept in your system's keyring, never in CMDesk's files.", None))
        self.platformLabel.setText(QCoreApplication.translate("AccountDialog", u"&Platform", None))
        self.nameLabel.setText(QCoreApplication.translate("AccountDialog", u"&Name in CMDesk", None))
        self.nameEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"Optional: the account's handle by default", None))
        self.instanceLabel.setText(QCoreApplication.translate("AccountDialog", u"&Instance", None))
        self.instanceEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"mastodon.social", None))
        self.adminCheck.setText(QCoreApplication.translate("AccountDialog", u"Also ask for moderator rights (suspend or silence accounts)", None))
        self.mastodonHelp.setText(QCoreApplication.translate("AccountDialog", u"CMDesk opens your instance's page in your web browser. You sign in and approve there: your password and second factor are typed on the instance's page, never in CMDesk.", None))
        self.browserBox.setTitle(QCoreApplication.translate("AccountDialog", u"Approve CMDesk in your browser", None))
        self.browserLabel.setText(QCoreApplication.translate("AccountDialog", u"Your browser shows the instance's page. CMDesk continues by itself once you approve.", None))
        self.openAgainButton.setText(QCoreApplication.translate("AccountDialog", u"Open the page again", None))
        self.copyLinkButton.setText(QCoreApplication.translate("AccountDialog", u"Copy its address", None))
        self.codeHelp.setText(QCoreApplication.translate("AccountDialog", u"Browser on another device? Open the code page there, approve, then paste the code it shows:", None))
        self.codePageButton.setText(QCoreApplication.translate("AccountDialog", u"Copy the code page's address", None))
        self.codeEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"Paste the code", None))
        self.useCodeButton.setText(QCoreApplication.translate("AccountDialog", u"Use this code", None))
        self.handleLabel.setText(QCoreApplication.translate("AccountDialog", u"&Handle", None))
        self.handleEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"alice.bsky.social", None))
        self.appPasswordLabel.setText(QCoreApplication.translate("AccountDialog", u"&App password", None))
        self.appPasswordEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"xxxx-xxxx-xxxx-xxxx", None))
        self.serverLabel.setText(QCoreApplication.translate("AccountDialog", u"&Server", None))
        self.serverEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"https://bsky.social (accounts hosted by Bluesky)", None))
        self.blueskyHelp.setText(QCoreApplication.translate("AccountDialog", u"Use an app password, not your main password: create one in Bluesky under Settings \u2192 Privacy and security \u2192 App passwords. It can be revoked on its own and cannot change your account.", None))
        self.homeserverLabel.setText(QCoreApplication.translate("AccountDialog", u"H&omeserver", None))
        self.homeserverEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"matrix.org", None))
        self.userLabel.setText(QCoreApplication.translate("AccountDialog", u"&User", None))
        self.userEdit.setPlaceholderText(QCoreApplication.translate("AccountDialog", u"@alice:matrix.org", None))
        self.matrixPasswordLabel.setText(QCoreApplication.translate("AccountDialog", u"Pass&word", None))
        self.tokenCheck.setText(QCoreApplication.translate("AccountDialog", u"Sign in with an access token instead (servers with single sign-on)", None))
        self.matrixHelp.setText(QCoreApplication.translate("AccountDialog", u"The homeserver is the part after the colon in your Matrix ID. CMDesk syncs the rooms this account moderates.", None))
        self.cancelButton.setText(QCoreApplication.translate("AccountDialog", u"Cancel", None))
        self.signInButton.setText(QCoreApplication.translate("AccountDialog", u"Sign in", None))
    # retranslateUi

