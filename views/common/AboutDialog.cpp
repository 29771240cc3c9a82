#include "common/AboutDialog.h"

#include "base/BuildInfo.h"
#include "common/QCustomPlotInclude.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chronoscope::views {

QList<QPair<QString, QString>> AboutDialog::versions()
{
    QList<QPair<QString, QString>> list = coreLibraryVersions();
    list.append({QStringLiteral("QCustomPlot"), QStringLiteral(QCUSTOMPLOT_VERSION_STR)});
    if (QApplication::style())
        list.append({QStringLiteral("Widget style"), QApplication::style()->name()});
    list.append({QStringLiteral("Platform"), QGuiApplication::platformName()});
    return list;
}

QString AboutDialog::versionsText()
{
    QString text;
    const auto list = versions();
    for (const auto &[name, version] : list)
        text += name + QStringLiteral(": ") + version + QLatin1Char('\n');
    return text;
}

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("About Chronoscope"));
    auto *title = new QLabel(tr("<h2>Chronoscope %1</h2>").arg(QStringLiteral(CHRONOSCOPE_VERSION)), this);
    auto *blurb = new QLabel(tr("A time-travel explorer for EventStoreDB and KurrentDB: browse streams, scrub "
                                "through history, see the state at any moment and what each event changed."),
                             this);
    blurb->setWordWrap(true);
    auto *table = new QTableWidget(this);
    table->setObjectName(QStringLiteral("aboutVersions"));
    const auto list = versions();
    table->setColumnCount(2);
    table->setRowCount(int(list.size()));
    table->setHorizontalHeaderLabels({tr("Component"), tr("Version")});
    for (int row = 0; row < list.size(); ++row) {
        table->setItem(row, 0, new QTableWidgetItem(list[row].first));
        table->setItem(row, 1, new QTableWidgetItem(list[row].second));
    }
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->resizeColumnsToContents();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy Versions"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, []() { QGuiApplication::clipboard()->setText(versionsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(blurb);
    layout->addWidget(table, 1);
    layout->addWidget(buttons);
    resize(520, 420);
}

ShortcutsDialog::ShortcutsDialog(const QList<Entry> &entries, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto *table = new QTableWidget(this);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setColumnCount(2);
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
    QString group;
    for (const Entry &e : entries) {
        if (e.group != group) {
            group = e.group;
            const int row = table->rowCount();
            table->insertRow(row);
            auto *heading = new QTableWidgetItem(group);
            QFont bold = heading->font();
            bold.setBold(true);
            heading->setFont(bold);
            table->setItem(row, 0, heading);
            table->setSpan(row, 0, 1, 2);
        }
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(e.keys));
        table->setItem(row, 1, new QTableWidgetItem(e.action));
    }
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->resizeColumnToContents(0);
    table->setColumnWidth(0, table->columnWidth(0) + 24);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(table, 1);
    layout->addWidget(buttons);
    resize(560, 620);
}

} // namespace chronoscope::views
