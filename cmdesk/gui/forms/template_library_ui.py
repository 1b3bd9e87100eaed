# Generated from ui/template_library.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'template_library.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QFormLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QSplitter,
    QTabWidget, QTableView, QTableWidget, QTableWidgetItem,
    QToolButton, QVBoxLayout, QWidget)

class Ui_TemplateLibrary(object):
    def setupUi(self, TemplateLibrary):
        if not TemplateLibrary.objectName():
            TemplateLibrary.setObjectName(u"TemplateLibrary")
        TemplateLibrary.resize(1320, 760)
        self.layout = QVBoxLayout(TemplateLibrary)
        self.layout.setObjectName(u"layout")
        self.toolbar = QHBoxLayout()
        self.toolbar.setObjectName(u"toolbar")
        self.searchEdit = QLineEdit(TemplateLibrary)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setMinimumSize(QSize(280, 0))
        self.searchEdit.setClearButtonEnabled(True)

        self.toolbar.addWidget(self.searchEdit)

        self.newButton = QPushButton(TemplateLibrary)
        self.newButton.setObjectName(u"newButton")

        self.toolbar.addWidget(self.newButton)

        self.duplicateButton = QPushButton(TemplateLibrary)
        self.duplicateButton.setObjectName(u"duplicateButton")

        self.toolbar.addWidget(self.duplicateButton)

        self.deleteButton = QPushButton(TemplateLibrary)
        self.deleteButton.setObjectName(u"deleteButton")

        self.toolbar.addWidget(self.deleteButton)

        self.favouriteButton = QPushButton(TemplateLibrary)
        self.favouriteButton.setObjectName(u"favouriteButton")
        self.favouriteButton.setCheckable(True)

        self.toolbar.addWidget(self.favouriteButton)

        self.upButton = QPushButton(TemplateLibrary)
        self.upButton.setObjectName(u"upButton")

        self.toolbar.addWidget(self.upButton)

        self.downButton = QPushButton(TemplateLibrary)
        self.downButton.setObjectName(u"downButton")

        self.toolbar.addWidget(self.downButton)

        self.undoButton = QPushButton(TemplateLibrary)
        self.undoButton.setObjectName(u"undoButton")

        self.toolbar.addWidget(self.undoButton)

        self.toolbarSpacer = QSpacerItem(12, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.toolbar.addItem(self.toolbarSpacer)

        self.importButton = QToolButton(TemplateLibrary)
        self.importButton.setObjectName(u"importButton")
        self.importButton.setPopupMode(QToolButton.MenuButtonPopup)

        self.toolbar.addWidget(self.importButton)

        self.exportButton = QToolButton(TemplateLibrary)
        self.exportButton.setObjectName(u"exportButton")

        self.toolbar.addWidget(self.exportButton)


        self.layout.addLayout(self.toolbar)

        self.tabs = QTabWidget(TemplateLibrary)
        self.tabs.setObjectName(u"tabs")
        self.templatesTab = QWidget()
        self.templatesTab.setObjectName(u"templatesTab")
        self.templatesLayout = QHBoxLayout(self.templatesTab)
        self.templatesLayout.setObjectName(u"templatesLayout")
        self.splitter = QSplitter(self.templatesTab)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Horizontal)
        self.templateTable = QTableView(self.splitter)
        self.templateTable.setObjectName(u"templateTable")
        self.templateTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.templateTable.setSelectionMode(QAbstractItemView.SingleSelection)
        self.templateTable.setAlternatingRowColors(True)
        self.splitter.addWidget(self.templateTable)
        self.editorPanel = QWidget(self.splitter)
        self.editorPanel.setObjectName(u"editorPanel")
        self.editorLayout = QVBoxLayout(self.editorPanel)
        self.editorLayout.setObjectName(u"editorLayout")
        self.editorLayout.setContentsMargins(0, 0, 0, 0)
        self.templateForm = QFormLayout()
        self.templateForm.setObjectName(u"templateForm")
        self.shortcodeLabel = QLabel(self.editorPanel)
        self.shortcodeLabel.setObjectName(u"shortcodeLabel")

        self.templateForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.shortcodeLabel)

        self.shortcodeEdit = QLineEdit(self.editorPanel)
        self.shortcodeEdit.setObjectName(u"shortcodeEdit")

        self.templateForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.shortcodeEdit)

        self.titleLabel = QLabel(self.editorPanel)
        self.titleLabel.setObjectName(u"titleLabel")

        self.templateForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.titleLabel)

        self.titleEdit = QLineEdit(self.editorPanel)
        self.titleEdit.setObjectName(u"titleEdit")

        self.templateForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.titleEdit)

        self.categoryLabel = QLabel(self.editorPanel)
        self.categoryLabel.setObjectName(u"categoryLabel")

        self.templateForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.categoryLabel)

        self.categoryCombo = QComboBox(self.editorPanel)
        self.categoryCombo.setObjectName(u"categoryCombo")
        self.categoryCombo.setEditable(True)
        self.categoryCombo.setInsertPolicy(QComboBox.NoInsert)

        self.templateForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.categoryCombo)

        self.tagsLabel = QLabel(self.editorPanel)
        self.tagsLabel.setObjectName(u"tagsLabel")

        self.templateForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.tagsLabel)

        self.tagsEdit = QLineEdit(self.editorPanel)
        self.tagsEdit.setObjectName(u"tagsEdit")

        self.templateForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.tagsEdit)


        self.editorLayout.addLayout(self.templateForm)

        self.variantsBox = QGroupBox(self.editorPanel)
        self.variantsBox.setObjectName(u"variantsBox")
        self.variantsLayout = QHBoxLayout(self.variantsBox)
        self.variantsLayout.setObjectName(u"variantsLayout")
        self.variantListColumn = QVBoxLayout()
        self.variantListColumn.setObjectName(u"variantListColumn")
        self.variantList = QListWidget(self.variantsBox)
        self.variantList.setObjectName(u"variantList")
        self.variantList.setMaximumSize(QSize(150, 16777215))

        self.variantListColumn.addWidget(self.variantList)

        self.variantButtons = QHBoxLayout()
        self.variantButtons.setObjectName(u"variantButtons")
        self.addVariantButton = QPushButton(self.variantsBox)
        self.addVariantButton.setObjectName(u"addVariantButton")

        self.variantButtons.addWidget(self.addVariantButton)

        self.removeVariantButton = QPushButton(self.variantsBox)
        self.removeVariantButton.setObjectName(u"removeVariantButton")

        self.variantButtons.addWidget(self.removeVariantButton)


        self.variantListColumn.addLayout(self.variantButtons)


        self.variantsLayout.addLayout(self.variantListColumn)

        self.variantColumn = QVBoxLayout()
        self.variantColumn.setObjectName(u"variantColumn")
        self.variantKeyRow = QHBoxLayout()
        self.variantKeyRow.setObjectName(u"variantKeyRow")
        self.langLabel = QLabel(self.variantsBox)
        self.langLabel.setObjectName(u"langLabel")

        self.variantKeyRow.addWidget(self.langLabel)

        self.langCombo = QComboBox(self.variantsBox)
        self.langCombo.setObjectName(u"langCombo")
        self.langCombo.setEditable(True)
        self.langCombo.setInsertPolicy(QComboBox.NoInsert)

        self.variantKeyRow.addWidget(self.langCombo)

        self.platformLabel = QLabel(self.variantsBox)
        self.platformLabel.setObjectName(u"platformLabel")

        self.variantKeyRow.addWidget(self.platformLabel)

        self.platformCombo = QComboBox(self.variantsBox)
        self.platformCombo.setObjectName(u"platformCombo")

        self.variantKeyRow.addWidget(self.platformCombo)


        self.variantColumn.addLayout(self.variantKeyRow)

        self.variantTitleEdit = QLineEdit(self.variantsBox)
        self.variantTitleEdit.setObjectName(u"variantTitleEdit")

        self.variantColumn.addWidget(self.variantTitleEdit)

        self.bodyEdit = QPlainTextEdit(self.variantsBox)
        self.bodyEdit.setObjectName(u"bodyEdit")
        self.bodyEdit.setTabChangesFocus(True)

        self.variantColumn.addWidget(self.bodyEdit)

        self.variableRow = QHBoxLayout()
        self.variableRow.setObjectName(u"variableRow")
        self.variableCombo = QComboBox(self.variantsBox)
        self.variableCombo.setObjectName(u"variableCombo")

        self.variableRow.addWidget(self.variableCombo)

        self.lengthLabel = QLabel(self.variantsBox)
        self.lengthLabel.setObjectName(u"lengthLabel")
        self.lengthLabel.setTextFormat(Qt.PlainText)

        self.variableRow.addWidget(self.lengthLabel)


        self.variantColumn.addLayout(self.variableRow)


        self.variantsLayout.addLayout(self.variantColumn)


        self.editorLayout.addWidget(self.variantsBox)

        self.previewLabel = QLabel(self.editorPanel)
        self.previewLabel.setObjectName(u"previewLabel")
        self.previewLabel.setTextFormat(Qt.PlainText)
        self.previewLabel.setWordWrap(True)

        self.editorLayout.addWidget(self.previewLabel)

        self.problemsLabel = QLabel(self.editorPanel)
        self.problemsLabel.setObjectName(u"problemsLabel")
        self.problemsLabel.setTextFormat(Qt.PlainText)
        self.problemsLabel.setWordWrap(True)

        self.editorLayout.addWidget(self.problemsLabel)

        self.saveRow = QHBoxLayout()
        self.saveRow.setObjectName(u"saveRow")
        self.statsLabel = QLabel(self.editorPanel)
        self.statsLabel.setObjectName(u"statsLabel")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.statsLabel.sizePolicy().hasHeightForWidth())
        self.statsLabel.setSizePolicy(sizePolicy)
        self.statsLabel.setTextFormat(Qt.PlainText)

        self.saveRow.addWidget(self.statsLabel)

        self.revertButton = QPushButton(self.editorPanel)
        self.revertButton.setObjectName(u"revertButton")

        self.saveRow.addWidget(self.revertButton)

        self.saveButton = QPushButton(self.editorPanel)
        self.saveButton.setObjectName(u"saveButton")

        self.saveRow.addWidget(self.saveButton)


        self.editorLayout.addLayout(self.saveRow)

        self.splitter.addWidget(self.editorPanel)

        self.templatesLayout.addWidget(self.splitter)

        self.tabs.addTab(self.templatesTab, "")
        self.guidelinesTab = QWidget()
        self.guidelinesTab.setObjectName(u"guidelinesTab")
        self.guidelinesLayout = QHBoxLayout(self.guidelinesTab)
        self.guidelinesLayout.setObjectName(u"guidelinesLayout")
        self.categoryList = QListWidget(self.guidelinesTab)
        self.categoryList.setObjectName(u"categoryList")
        self.categoryList.setMaximumSize(QSize(320, 16777215))

        self.guidelinesLayout.addWidget(self.categoryList)

        self.charteColumn = QVBoxLayout()
        self.charteColumn.setObjectName(u"charteColumn")
        self.charteHint = QLabel(self.guidelinesTab)
        self.charteHint.setObjectName(u"charteHint")
        self.charteHint.setTextFormat(Qt.PlainText)
        self.charteHint.setWordWrap(True)

        self.charteColumn.addWidget(self.charteHint)

        self.charteEdit = QPlainTextEdit(self.guidelinesTab)
        self.charteEdit.setObjectName(u"charteEdit")

        self.charteColumn.addWidget(self.charteEdit)

        self.charteButtons = QHBoxLayout()
        self.charteButtons.setObjectName(u"charteButtons")
        self.charteSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.charteButtons.addItem(self.charteSpacer)

        self.saveCharteButton = QPushButton(self.guidelinesTab)
        self.saveCharteButton.setObjectName(u"saveCharteButton")

        self.charteButtons.addWidget(self.saveCharteButton)


        self.charteColumn.addLayout(self.charteButtons)


        self.guidelinesLayout.addLayout(self.charteColumn)

        self.tabs.addTab(self.guidelinesTab, "")
        self.fieldsTab = QWidget()
        self.fieldsTab.setObjectName(u"fieldsTab")
        self.fieldsLayout = QVBoxLayout(self.fieldsTab)
        self.fieldsLayout.setObjectName(u"fieldsLayout")
        self.fieldsHint = QLabel(self.fieldsTab)
        self.fieldsHint.setObjectName(u"fieldsHint")
        self.fieldsHint.setTextFormat(Qt.PlainText)
        self.fieldsHint.setWordWrap(True)

        self.fieldsLayout.addWidget(self.fieldsHint)

        self.fieldsTable = QTableWidget(self.fieldsTab)
        if (self.fieldsTable.columnCount() < 3):
            self.fieldsTable.setColumnCount(3)
        __qtablewidgetitem = QTableWidgetItem()
        self.fieldsTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.fieldsTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.fieldsTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        self.fieldsTable.setObjectName(u"fieldsTable")
        self.fieldsTable.setColumnCount(3)

        self.fieldsLayout.addWidget(self.fieldsTable)

        self.fieldsButtons = QHBoxLayout()
        self.fieldsButtons.setObjectName(u"fieldsButtons")
        self.addFieldButton = QPushButton(self.fieldsTab)
        self.addFieldButton.setObjectName(u"addFieldButton")

        self.fieldsButtons.addWidget(self.addFieldButton)

        self.removeFieldButton = QPushButton(self.fieldsTab)
        self.removeFieldButton.setObjectName(u"removeFieldButton")

        self.fieldsButtons.addWidget(self.removeFieldButton)

        self.fieldsSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.fieldsButtons.addItem(self.fieldsSpacer)

        self.saveFieldsButton = QPushButton(self.fieldsTab)
        self.saveFieldsButton.setObjectName(u"saveFieldsButton")

        self.fieldsButtons.addWidget(self.saveFieldsButton)


        self.fieldsLayout.addLayout(self.fieldsButtons)

        self.tabs.addTab(self.fieldsTab, "")

        self.layout.addWidget(self.tabs)

        self.statusLabel = QLabel(TemplateLibrary)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setTextFormat(Qt.PlainText)
        self.statusLabel.setWordWrap(True)

        self.layout.addWidget(self.statusLabel)

#if QT_CONFIG(shortcut)
        self.shortcodeLabel.setBuddy(self.shortcodeEdit)
        self.titleLabel.setBuddy(self.titleEdit)
        self.categoryLabel.setBuddy(self.categoryCombo)
        self.tagsLabel.setBuddy(self.tagsEdit)
        self.langLabel.setBuddy(self.langCombo)
        self.platformLabel.setBuddy(self.platformCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.searchEdit, self.templateTable)
        QWidget.setTabOrder(self.templateTable, self.shortcodeEdit)
        QWidget.setTabOrder(self.shortcodeEdit, self.titleEdit)
        QWidget.setTabOrder(self.titleEdit, self.categoryCombo)
        QWidget.setTabOrder(self.categoryCombo, self.tagsEdit)
        QWidget.setTabOrder(self.tagsEdit, self.variantList)
        QWidget.setTabOrder(self.variantList, self.langCombo)
        QWidget.setTabOrder(self.langCombo, self.platformCombo)
        QWidget.setTabOrder(self.platformCombo, self.variantTitleEdit)
        QWidget.setTabOrder(self.variantTitleEdit, self.bodyEdit)
        QWidget.setTabOrder(self.bodyEdit, self.saveButton)

        self.retranslateUi(TemplateLibrary)
    # setupUi

    def retranslateUi(self, TemplateLibrary):
        TemplateLibrary.setWindowTitle(QCoreApplication.translate("TemplateLibrary", u"Template library", None))
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("TemplateLibrary", u"Search title, shortcode, tags, text\u2026 (Ctrl+F)", None))
        self.newButton.setText(QCoreApplication.translate("TemplateLibrary", u"New", None))
#if QT_CONFIG(tooltip)
        self.newButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"New template (Ctrl+N)", None))
#endif // QT_CONFIG(tooltip)
        self.duplicateButton.setText(QCoreApplication.translate("TemplateLibrary", u"Duplicate", None))
#if QT_CONFIG(tooltip)
        self.duplicateButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Duplicate the selected template (Ctrl+D)", None))
#endif // QT_CONFIG(tooltip)
        self.deleteButton.setText(QCoreApplication.translate("TemplateLibrary", u"Delete", None))
#if QT_CONFIG(tooltip)
        self.deleteButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Delete the selected template (Delete in the list); Ctrl+Z brings it back", None))
#endif // QT_CONFIG(tooltip)
        self.favouriteButton.setText(QCoreApplication.translate("TemplateLibrary", u"\u2605 Favourite", None))
#if QT_CONFIG(tooltip)
        self.favouriteButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Favourites come first in the composer's picker (Ctrl+B)", None))
#endif // QT_CONFIG(tooltip)
        self.upButton.setText(QCoreApplication.translate("TemplateLibrary", u"Move up", None))
#if QT_CONFIG(tooltip)
        self.upButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Move up in the library's order (Alt+Up)", None))
#endif // QT_CONFIG(tooltip)
        self.downButton.setText(QCoreApplication.translate("TemplateLibrary", u"Move down", None))
#if QT_CONFIG(tooltip)
        self.downButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Move down in the library's order (Alt+Down)", None))
#endif // QT_CONFIG(tooltip)
        self.undoButton.setText(QCoreApplication.translate("TemplateLibrary", u"Undo", None))
        self.importButton.setText(QCoreApplication.translate("TemplateLibrary", u"Import\u2026", None))
#if QT_CONFIG(tooltip)
        self.importButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Import templates from a JSON or CSV file", None))
#endif // QT_CONFIG(tooltip)
        self.exportButton.setText(QCoreApplication.translate("TemplateLibrary", u"Export\u2026", None))
#if QT_CONFIG(tooltip)
        self.exportButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Export the library as JSON or CSV", None))
#endif // QT_CONFIG(tooltip)
        self.shortcodeLabel.setText(QCoreApplication.translate("TemplateLibrary", u"Shortcode", None))
        self.shortcodeEdit.setPlaceholderText(QCoreApplication.translate("TemplateLibrary", u"e.g. merci (typed after / in the composer)", None))
        self.titleLabel.setText(QCoreApplication.translate("TemplateLibrary", u"Title", None))
        self.categoryLabel.setText(QCoreApplication.translate("TemplateLibrary", u"Category", None))
        self.tagsLabel.setText(QCoreApplication.translate("TemplateLibrary", u"Tags", None))
        self.tagsEdit.setPlaceholderText(QCoreApplication.translate("TemplateLibrary", u"separated by commas", None))
        self.variantsBox.setTitle(QCoreApplication.translate("TemplateLibrary", u"Texts (one per language, and per platform if needed)", None))
        self.addVariantButton.setText(QCoreApplication.translate("TemplateLibrary", u"Add", None))
        self.removeVariantButton.setText(QCoreApplication.translate("TemplateLibrary", u"Remove", None))
        self.langLabel.setText(QCoreApplication.translate("TemplateLibrary", u"Language", None))
        self.platformLabel.setText(QCoreApplication.translate("TemplateLibrary", u"Platform", None))
        self.variantTitleEdit.setPlaceholderText(QCoreApplication.translate("TemplateLibrary", u"Title in this language (optional)", None))
        self.bodyEdit.setPlaceholderText(QCoreApplication.translate("TemplateLibrary", u"Hello {author.first_name|there}, thank you for your message!", None))
        self.revertButton.setText(QCoreApplication.translate("TemplateLibrary", u"Revert", None))
        self.saveButton.setText(QCoreApplication.translate("TemplateLibrary", u"Save", None))
#if QT_CONFIG(tooltip)
        self.saveButton.setToolTip(QCoreApplication.translate("TemplateLibrary", u"Save this template (Ctrl+S)", None))
#endif // QT_CONFIG(tooltip)
        self.tabs.setTabText(self.tabs.indexOf(self.templatesTab), QCoreApplication.translate("TemplateLibrary", u"Templates", None))
        self.charteHint.setText(QCoreApplication.translate("TemplateLibrary", u"Posture guidelines (the \"charte\") of a category are shown beside the composer when one of its templates is used. Sub-folders (\"Reviews/Negative\") inherit their parent's guidelines unless they have their own. Categories come from the templates' Category field.", None))
        self.saveCharteButton.setText(QCoreApplication.translate("TemplateLibrary", u"Save guidelines", None))
        self.tabs.setTabText(self.tabs.indexOf(self.guidelinesTab), QCoreApplication.translate("TemplateLibrary", u"Guidelines", None))
        self.fieldsHint.setText(QCoreApplication.translate("TemplateLibrary", u"Your own variables, such as {shop.website}. A field without a value is asked for in the composer each time a template uses it.", None))
        ___qtablewidgetitem = self.fieldsTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("TemplateLibrary", u"Name", None))
        ___qtablewidgetitem1 = self.fieldsTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("TemplateLibrary", u"Label", None))
        ___qtablewidgetitem2 = self.fieldsTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("TemplateLibrary", u"Value", None))
        self.addFieldButton.setText(QCoreApplication.translate("TemplateLibrary", u"Add a field", None))
        self.removeFieldButton.setText(QCoreApplication.translate("TemplateLibrary", u"Remove", None))
        self.saveFieldsButton.setText(QCoreApplication.translate("TemplateLibrary", u"Save fields", None))
        self.tabs.setTabText(self.tabs.indexOf(self.fieldsTab), QCoreApplication.translate("TemplateLibrary", u"Custom fields", None))
    # retranslateUi

