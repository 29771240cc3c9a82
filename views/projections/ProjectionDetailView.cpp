#include "projections/ProjectionDetailView.h"

#include "common/JsonTreeWidget.h"
#include "projections/ProjectionCompareView.h"
#include "projections/ProjectionSourceHighlighter.h"

#include <QFontDatabase>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidgetItem>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {

QWidget *titled(QLabel *label, QWidget *content, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(label);
    layout->addWidget(content, 1);
    return w;
}

/// A state or result as the server answered it. An empty one (`{}`, which is also what the server answers
/// for a partition without state) or a null is said in one row, not shown as a fake field; nothing read yet
/// (Undefined) is an empty tree.
void showValue(JsonTreeWidget *tree, const QJsonValue &value, const QString &what)
{
    const bool empty = value.isObject() && value.toObject().isEmpty();
    if (!empty && !value.isNull()) {
        tree->setJson(value);
        tree->expandToDepth(1);
        return;
    }
    tree->setJson(QJsonValue(QJsonValue::Undefined));
    auto *item = new QTreeWidgetItem(tree);
    item->setText(JsonTreeWidget::KeyColumn, empty ? QStringLiteral("{}") : QStringLiteral("null"));
    item->setText(JsonTreeWidget::ValueColumn,
                  empty ? ProjectionDetailView::tr("empty: no %1").arg(what)
                        : ProjectionDetailView::tr("null: no %1").arg(what));
    item->setForeground(JsonTreeWidget::KeyColumn, tree->palette().brush(QPalette::Disabled, QPalette::Text));
    item->setForeground(JsonTreeWidget::ValueColumn, tree->palette().brush(QPalette::Disabled, QPalette::Text));
    item->setToolTip(JsonTreeWidget::ValueColumn,
                     ProjectionDetailView::tr("The server answers {} for an empty %1 and for a partition it has no "
                                              "%1 for")
                         .arg(what));
}

QString valueError(const ClientError &error)
{
    if (error.kind == ClientError::Kind::NotFound)
        return ProjectionDetailView::tr("not found: the projection is gone (deleted meanwhile?)");
    if (error.kind == ClientError::Kind::AccessDenied)
        return ProjectionDetailView::tr("permission denied: the connection's user may not read it");
    if (error.kind == ClientError::Kind::Unavailable)
        return ProjectionDetailView::tr("the server is unavailable: %1").arg(error.message);
    return error.toString();
}

} // namespace

ProjectionDetailView::ProjectionDetailView(ProjectionInspector *inspector, QWidget *parent)
    : QWidget(parent)
    , m_inspector(inspector)
    , m_tabs(new QTabWidget(this))
    , m_source(new QPlainTextEdit(this))
    , m_filter(new QLineEdit(this))
    , m_partitions(new QListWidget(this))
    , m_partitionNote(new QLabel(this))
    , m_stateLabel(new QLabel(tr("State"), this))
    , m_state(new JsonTreeWidget(this))
    , m_resultLabel(new QLabel(tr("Result"), this))
    , m_result(new JsonTreeWidget(this))
    , m_compare(new ProjectionCompareView(this))
{
    setObjectName(QStringLiteral("projectionDetail"));
    m_tabs->setObjectName(QStringLiteral("projectionTabs"));
    m_source->setObjectName(QStringLiteral("projectionSource"));
    m_source->setReadOnly(true);
    m_source->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_source->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new ProjectionSourceHighlighter(m_source->document());
    m_filter->setObjectName(QStringLiteral("partitionFilter"));
    m_filter->setPlaceholderText(tr("Search partitions"));
    m_filter->setClearButtonEnabled(true);
    m_partitions->setObjectName(QStringLiteral("partitionList"));
    m_partitionNote->setObjectName(QStringLiteral("partitionNote"));
    m_partitionNote->setWordWrap(true);
    m_state->setObjectName(QStringLiteral("projectionState"));
    m_result->setObjectName(QStringLiteral("projectionResult"));
    m_stateLabel->setObjectName(QStringLiteral("projectionStateLabel"));
    m_stateLabel->setWordWrap(true);
    m_resultLabel->setWordWrap(true);

    auto *partitionSide = new QWidget(this);
    auto *side = new QVBoxLayout(partitionSide);
    side->setContentsMargins(0, 0, 0, 0);
    side->setSpacing(2);
    side->addWidget(m_filter);
    side->addWidget(m_partitions, 1);
    side->addWidget(m_partitionNote);
    auto *values = new QSplitter(Qt::Vertical, this);
    values->addWidget(titled(m_stateLabel, m_state, values));
    values->addWidget(titled(m_resultLabel, m_result, values));
    auto *stateSplit = new QSplitter(Qt::Horizontal, this);
    stateSplit->addWidget(partitionSide);
    stateSplit->addWidget(values);
    stateSplit->setStretchFactor(0, 1);
    stateSplit->setStretchFactor(1, 3);

    m_tabs->addTab(stateSplit, tr("State"));
    m_tabs->addTab(m_source, tr("Source"));
    m_tabs->addTab(m_compare, tr("Compare"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    connect(m_inspector, &ProjectionInspector::loaded, this, &ProjectionDetailView::onLoaded);
    connect(m_inspector, &ProjectionInspector::partitionLoaded, this, &ProjectionDetailView::onPartitionLoaded);
    connect(m_filter, &QLineEdit::textChanged, this, &ProjectionDetailView::applyFilter);
    connect(m_partitions, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (!item || m_name.isEmpty())
            return;
        m_partition = item->data(Qt::UserRole).toString();
        m_stateLabel->setText(tr("State of %1: reading…").arg(item->text()));
        m_inspector->loadPartition(m_name, m_partition);
    });
    show(QString());
}

void ProjectionDetailView::show(const QString &name)
{
    if (name != m_name) {
        m_partition.clear();
        m_definition = {};
        m_partitions->clear();
        m_state->setJson(QJsonValue(QJsonValue::Undefined)); // nothing read yet: no row at all
        m_result->setJson(QJsonValue(QJsonValue::Undefined));
        m_source->clear();
    }
    m_name = name;
    m_compare->setProjection(name);
    setEnabled(!name.isEmpty());
    if (name.isEmpty()) {
        m_inspector->cancel();
        m_stateLabel->setText(tr("Select a projection"));
        return;
    }
    m_inspector->load(name);
}

void ProjectionDetailView::selectPartition(const QString &partition)
{
    for (int i = 0; i < m_partitions->count(); ++i)
        if (m_partitions->item(i)->data(Qt::UserRole).toString() == partition)
            m_partitions->setCurrentRow(i);
}

void ProjectionDetailView::onLoaded(const ProjectionDefinition &definition, const ProjectionPartitions &partitions)
{
    if (definition.name != m_name)
        return;
    m_definition = definition;
    if (definition.found)
        m_source->setPlainText(definition.query);
    else if (definition.error)
        m_source->setPlainText(tr("// The source could not be read: %1").arg(valueError(definition.error)));
    else
        m_source->setPlainText(m_name.startsWith(QLatin1Char('$'))
                                   ? tr("// A system projection: its source is built into the server.")
                                   : tr("// No definition in $projections-%1.").arg(m_name));

    const QString keep = m_partition;
    const QSignalBlocker block(m_partitions);
    m_partitions->clear();
    for (const QString &p : partitions.partitions) {
        auto *item = new QListWidgetItem(p.isEmpty() ? tr("(whole state)") : p, m_partitions);
        item->setData(Qt::UserRole, p);
    }
    if (partitions.error)
        m_partitionNote->setText(tr("Partitions could not be read: %1").arg(valueError(partitions.error)));
    else if (partitions.partitioned)
        m_partitionNote->setText(
            tr("%n partition(s) in the last checkpoint", nullptr, int(partitions.partitions.size())));
    else
        m_partitionNote->setText(tr("Not partitioned"));
    applyFilter();
    int row = 0;
    for (int i = 0; i < m_partitions->count(); ++i)
        if (m_partitions->item(i)->data(Qt::UserRole).toString() == keep)
            row = i;
    if (m_partitions->count() > 0) {
        m_partitions->setCurrentRow(row);
        m_partition = m_partitions->item(row)->data(Qt::UserRole).toString();
        m_inspector->loadPartition(m_name, m_partition);
    } else {
        m_stateLabel->setText(tr("No partition has state yet"));
        m_state->setJson(QJsonValue(QJsonValue::Undefined));
        m_result->setJson(QJsonValue(QJsonValue::Undefined));
    }
}

void ProjectionDetailView::onPartitionLoaded(const ProjectionPartitionValues &values)
{
    if (values.name != m_name || values.partition != m_partition)
        return;
    const QString which = values.partition.isEmpty() ? tr("State") : tr("State of %1").arg(values.partition);
    if (values.stateError) {
        m_stateLabel->setText(tr("%1: %2").arg(which, valueError(values.stateError)));
        m_state->setJson(QJsonValue(QJsonValue::Undefined));
    } else {
        m_stateLabel->setText(which);
        showValue(m_state, values.state, tr("state"));
    }
    if (values.resultError) {
        m_resultLabel->setText(tr("Result: %1").arg(valueError(values.resultError)));
        m_result->setJson(QJsonValue(QJsonValue::Undefined));
    } else {
        m_resultLabel->setText(tr("Result"));
        showValue(m_result, values.result, tr("result"));
    }
    Q_EMIT partitionShown(values.partition);
}

void ProjectionDetailView::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    for (int i = 0; i < m_partitions->count(); ++i) {
        QListWidgetItem *item = m_partitions->item(i);
        item->setHidden(!text.isEmpty() && !item->text().contains(text, Qt::CaseInsensitive));
    }
}

} // namespace chronoscope::views
