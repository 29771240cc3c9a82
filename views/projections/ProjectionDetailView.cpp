#include "projections/ProjectionDetailView.h"

#include "common/JsonTreeWidget.h"
#include "projections/ProjectionCompareView.h"
#include "projections/ProjectionSourceHighlighter.h"

#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
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
        m_state->setJson(QJsonValue());
        m_result->setJson(QJsonValue());
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
    }
}

void ProjectionDetailView::onPartitionLoaded(const ProjectionPartitionValues &values)
{
    if (values.name != m_name || values.partition != m_partition)
        return;
    const QString which = values.partition.isEmpty() ? tr("State") : tr("State of %1").arg(values.partition);
    if (values.stateError) {
        m_stateLabel->setText(tr("%1: %2").arg(which, valueError(values.stateError)));
        m_state->setJson(QJsonValue());
    } else {
        m_stateLabel->setText(which);
        m_state->setJson(values.state);
        m_state->expandToDepth(1);
    }
    if (values.resultError) {
        m_resultLabel->setText(tr("Result: %1").arg(valueError(values.resultError)));
        m_result->setJson(QJsonValue());
    } else {
        m_resultLabel->setText(tr("Result"));
        m_result->setJson(values.result);
        m_result->expandToDepth(1);
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
