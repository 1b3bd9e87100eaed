# Generated from ui/main_window.ui by scripts/build_forms.py — do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QMainWindow,
    QMenu, QMenuBar, QSizePolicy, QSplitter,
    QStatusBar, QTableView, QTreeView, QVBoxLayout,
    QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1360, 820)
        self.central = QWidget(MainWindow)
        self.central.setObjectName(u"central")
        self.centralLayout = QVBoxLayout(self.central)
        self.centralLayout.setSpacing(0)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel(self.central)
        self.banner.setObjectName(u"banner")
        self.banner.setVisible(False)
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.PlainText)

        self.centralLayout.addWidget(self.banner)

        self.splitter = QSplitter(self.central)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.sidebar = QTreeView(self.splitter)
        self.sidebar.setObjectName(u"sidebar")
        self.sidebar.setMinimumSize(QSize(210, 0))
        self.sidebar.setHeaderHidden(True)
        self.sidebar.setRootIsDecorated(False)
        self.sidebar.setUniformRowHeights(True)
        self.sidebar.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.splitter.addWidget(self.sidebar)
        self.listPane = QWidget(self.splitter)
        self.listPane.setObjectName(u"listPane")
        self.listLayout = QVBoxLayout(self.listPane)
        self.listLayout.setSpacing(6)
        self.listLayout.setObjectName(u"listLayout")
        self.listLayout.setContentsMargins(8, 8, 8, 8)
        self.searchEdit = QLineEdit(self.listPane)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setClearButtonEnabled(True)

        self.listLayout.addWidget(self.searchEdit)

        self.searchHint = QLabel(self.listPane)
        self.searchHint.setObjectName(u"searchHint")
        self.searchHint.setVisible(False)
        self.searchHint.setTextFormat(Qt.PlainText)

        self.listLayout.addWidget(self.searchHint)

        self.filterLayout = QHBoxLayout()
        self.filterLayout.setObjectName(u"filterLayout")
        self.statusFilter = QComboBox(self.listPane)
        self.statusFilter.setObjectName(u"statusFilter")

        self.filterLayout.addWidget(self.statusFilter)

        self.platformFilter = QComboBox(self.listPane)
        self.platformFilter.setObjectName(u"platformFilter")

        self.filterLayout.addWidget(self.platformFilter)

        self.tagFilter = QComboBox(self.listPane)
        self.tagFilter.setObjectName(u"tagFilter")

        self.filterLayout.addWidget(self.tagFilter)

        self.periodFilter = QComboBox(self.listPane)
        self.periodFilter.setObjectName(u"periodFilter")

        self.filterLayout.addWidget(self.periodFilter)


        self.listLayout.addLayout(self.filterLayout)

        self.itemList = QTableView(self.listPane)
        self.itemList.setObjectName(u"itemList")
        self.itemList.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.itemList.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.itemList.setShowGrid(False)
        self.itemList.setWordWrap(False)
        self.itemList.setAlternatingRowColors(True)
        self.itemList.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.itemList.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)

        self.listLayout.addWidget(self.itemList)

        self.listFooter = QLabel(self.listPane)
        self.listFooter.setObjectName(u"listFooter")
        self.listFooter.setTextFormat(Qt.PlainText)

        self.listLayout.addWidget(self.listFooter)

        self.splitter.addWidget(self.listPane)
        self.detailHost = QWidget(self.splitter)
        self.detailHost.setObjectName(u"detailHost")
        self.detailLayout = QVBoxLayout(self.detailHost)
        self.detailLayout.setObjectName(u"detailLayout")
        self.detailLayout.setContentsMargins(0, 0, 0, 0)
        self.splitter.addWidget(self.detailHost)

        self.centralLayout.addWidget(self.splitter)

        MainWindow.setCentralWidget(self.central)
        self.menubar = QMenuBar(MainWindow)
        self.menubar.setObjectName(u"menubar")
        self.menuFile = QMenu(self.menubar)
        self.menuFile.setObjectName(u"menuFile")
        self.menuItem = QMenu(self.menubar)
        self.menuItem.setObjectName(u"menuItem")
        self.menuView = QMenu(self.menubar)
        self.menuView.setObjectName(u"menuView")
        self.menuHelp = QMenu(self.menubar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menubar)
        self.statusbar = QStatusBar(MainWindow)
        self.statusbar.setObjectName(u"statusbar")
        MainWindow.setStatusBar(self.statusbar)

        self.menubar.addAction(self.menuFile.menuAction())
        self.menubar.addAction(self.menuItem.menuAction())
        self.menubar.addAction(self.menuView.menuAction())
        self.menubar.addAction(self.menuHelp.menuAction())

        self.retranslateUi(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"CMDesk", None))
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("MainWindow", u"Search \u2014 words, \"a phrase\", prefix*, -without, from:author  (/)", None))
        self.menuFile.setTitle(QCoreApplication.translate("MainWindow", u"&File", None))
        self.menuItem.setTitle(QCoreApplication.translate("MainWindow", u"&Item", None))
        self.menuView.setTitle(QCoreApplication.translate("MainWindow", u"&View", None))
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"&Help", None))
    # retranslateUi

