#include "readmodel/RowBesideFoldView.h"

#include "common/JsonTreeWidget.h"
#include "fold/FoldController.h"
#include "readmodel/DriftReportText.h"
#include "readmodel/EndpointDirectory.h"
#include "readmodel/OpenSource.h"
#include "timeline/TimelineIndex.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope::views {

using readmodel::AgreementResult;
using readmodel::PathAgreement;
using readmodel::ReadModelMapping;
using readmodel::RowBesideFold;

RowBesideFoldView::RowBesideFoldView(FoldController *fold, readmodel::EndpointDirectory *endpoints, QWidget *parent)
    : QWidget(parent)
    , m_fold(fold)
    , m_endpoints(endpoints)
    , m_status(new QLabel(this))
    , m_mappingBox(new QComboBox(this))
    , m_compareBox(new QComboBox(this))
    , m_refresh(new QPushButton(tr("Read again"), this))
    , m_since(new QLabel(this))
    , m_jump(new QPushButton(this))
    , m_paths(new QTableWidget(0, 4, this))
    , m_foldTree(new JsonTreeWidget(this))
    , m_rowTree(new JsonTreeWidget(this))
    , m_foldTitle(new QLabel(this))
    , m_rowTitle(new QLabel(this))
{
    m_status->setObjectName(QStringLiteral("readModelStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_mappingBox->setObjectName(QStringLiteral("readModelMapping"));
    m_mappingBox->setToolTip(tr("The read-model mapping of this stream's category (the reducer file's readModels)"));
    m_compareBox->setObjectName(QStringLiteral("readModelCompare"));
    for (QComboBox *box : {m_mappingBox, m_compareBox}) { // the dock must fit a narrow column
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(10);
    }
    m_compareBox->addItem(tr("Diff pane: fold at the head vs row"));
    m_compareBox->addItem(tr("Diff pane: state at the cursor vs row"));
    m_since->setObjectName(QStringLiteral("readModelSince"));
    m_since->setWordWrap(true);
    m_since->setTextFormat(Qt::RichText);
    m_jump->setObjectName(QStringLiteral("readModelJump"));
    m_jump->setVisible(false);
    m_paths->setObjectName(QStringLiteral("readModelPaths"));
    m_paths->setHorizontalHeaderLabels({tr("Path"), tr("Fold at the head"), tr("Read model"), tr("Last agreed")});
    m_paths->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_paths->horizontalHeader()->setStretchLastSection(true);
    m_paths->verticalHeader()->setVisible(false);
    m_paths->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_paths->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_foldTree->setObjectName(QStringLiteral("readModelFoldTree"));
    m_rowTree->setObjectName(QStringLiteral("readModelRowTree"));
    for (JsonTreeWidget *tree : {m_foldTree, m_rowTree}) // keys as wide as they are: the values matter here
        tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);

    auto *top = new QHBoxLayout;
    top->addWidget(m_mappingBox, 1);
    top->addWidget(m_compareBox, 1);
    top->addWidget(m_refresh);
    auto *sinceRow = new QHBoxLayout;
    sinceRow->addWidget(m_since, 1);
    sinceRow->addWidget(m_jump);
    auto side = [this](QLabel *title, JsonTreeWidget *tree) {
        auto *box = new QWidget(this);
        auto *l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(title);
        l->addWidget(tree, 1);
        return box;
    };
    auto *beside = new QSplitter(Qt::Horizontal, this);
    beside->addWidget(side(m_foldTitle, m_foldTree));
    beside->addWidget(side(m_rowTitle, m_rowTree));
    beside->setSizes({1000, 1000}); // the fold and the row side by side, half each
    m_foldTitle->setWordWrap(true);
    m_rowTitle->setWordWrap(true);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(m_paths);
    vertical->addWidget(beside);
    vertical->setStretchFactor(0, 1);
    vertical->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addLayout(sinceRow);
    layout->addWidget(vertical, 1);

    connect(m_refresh, &QPushButton::clicked, this, &RowBesideFoldView::start);
    connect(m_mappingBox, qOverload<int>(&QComboBox::activated), this, &RowBesideFoldView::start);
    connect(m_compareBox, qOverload<int>(&QComboBox::activated), this, [this](int i) { setCompare(Compare(i)); });
    connect(m_jump, &QPushButton::clicked, this, [this] {
        if (const std::optional<quint64> r = sinceRevision())
            Q_EMIT jumpRequested(m_stream, qint64(*r));
    });
    TimelineSession *session = m_fold->session();
    connect(session, &TimelineSession::loadFinished, this, &RowBesideFoldView::refresh);
    connect(m_fold, &FoldController::reducerChanged, this, &RowBesideFoldView::refresh);
    connect(m_fold, &FoldController::cursorStateReady, this, &RowBesideFoldView::cursorMoved);
    showMessage(tr("Open a stream whose category has a read-model mapping in the reducer file."));
}

void RowBesideFoldView::setCompare(Compare compare)
{
    m_compare = compare;
    if (m_compareBox->currentIndex() != int(compare))
        m_compareBox->setCurrentIndex(int(compare));
    startUpdate(true);
}

void RowBesideFoldView::refresh()
{
    reloadMappings();
    start();
}

// The mappings of the reducer file that folds now whose category is the loaded stream's.
void RowBesideFoldView::reloadMappings()
{
    const QString previous = m_mappingBox->currentText();
    m_mappings.clear();
    m_mappingBox->clear();
    m_mappingError.clear();
    const std::optional<QList<ReadModelMapping>> all = RowBesideFold::mappingsOf(
        m_fold->reducer().merge ? QString() : m_fold->reducer().file, &m_mappingError);
    if (!all)
        return;
    const QString stream = QString::fromUtf8(m_fold->session()->stream());
    for (const ReadModelMapping &m : *all)
        if (m.aggregateIdOf(stream))
            m_mappings.append(m);
    for (const ReadModelMapping &m : std::as_const(m_mappings))
        m_mappingBox->addItem(m.name() + QStringLiteral(" (") + m.endpoint() + QLatin1Char(')'));
    const int keep = m_mappingBox->findText(previous);
    if (keep >= 0)
        m_mappingBox->setCurrentIndex(keep);
}

void RowBesideFoldView::start()
{
    const QByteArray stream = m_fold->session()->stream();
    const int i = m_mappingBox->currentIndex();
    m_job.cancel();
    m_diffJob.cancel();
    m_wantedCursor.reset();
    m_diffWanted = false;
    m_result.reset();
    m_stream = stream;
    if (i < 0 || i >= m_mappings.size()) {
        if (!m_mappingError.isEmpty())
            showMessage(tr("The reducer file's read models cannot be read: %1").arg(m_mappingError));
        else
            showMessage(stream.isEmpty() ? tr("Open a stream whose category has a read-model mapping.")
                                         : tr("No read-model mapping in the reducer file for the category of %1.")
                                               .arg(QString::fromUtf8(stream)));
        return;
    }
    if (m_fold->session()->isLoading())
        return; // loadFinished() starts it again
    const ReadModelMapping mapping = m_mappings.at(i);
    const QString aggregateId = *mapping.aggregateIdOf(QString::fromUtf8(stream));
    m_busy = true;
    m_refresh->setEnabled(false);
    showMessage(tr("Reading the row of %1 from %2…").arg(aggregateId, mapping.name()));
    const quint64 request = ++m_request;
    m_endpoints->lookup(
        mapping.endpoint(), [this, request, mapping, aggregateId](const readmodel::EndpointDirectory::Lookup &found) {
            if (request != m_request)
                return;
            if (!found.endpoint) {
                m_busy = false;
                m_refresh->setEnabled(true);
                showMessage(found.error);
                Q_EMIT updated();
                return;
            }
            const QString file = m_fold->reducer().merge ? QString() : m_fold->reducer().file;
            auto index = m_fold->session()->sharedIndex();
            auto payloads = m_fold->session()->payloads();
            const ReadModelEndpoint endpoint = *found.endpoint;
            const QString password = found.password;
            m_job.start([=](const JobTracker::Job &job) {
                const std::unique_ptr<readmodel::ReadModelSource> source = readmodel::openSource(endpoint, password,
                                                                                                 mapping);
                RowBesideFold r = RowBesideFold::compute(*source, mapping, aggregateId, file, index, payloads);
                job.post([this, r] { show(r); });
            });
        });
}

void RowBesideFoldView::showMessage(const QString &message)
{
    m_status->setText(message);
    m_since->clear();
    m_jump->setVisible(false);
    m_paths->setRowCount(0);
    m_foldTree->setJson(QJsonValue());
    m_rowTree->setJson(QJsonValue());
    m_foldTitle->setText(tr("Fold (mapped fields)"));
    m_rowTitle->setText(tr("Read model (mapped fields)"));
}

QString RowBesideFoldView::revisionText(quint64 count) const
{
    // The state after `count` events is the state at the revision of event count - 1.
    const engine::TimelineIndex &index = m_fold->session()->index();
    if (count == 0)
        return tr("before the first event");
    if (count > index.size())
        return tr("after %1 events").arg(count);
    return tr("revision %1 (%2)").arg(index.revision(count - 1)).arg(QString::fromUtf8(index.typeName(count - 1)));
}

std::optional<quint64> RowBesideFoldView::sinceRevision() const
{
    if (!m_result)
        return std::nullopt;
    const std::optional<quint64> o = m_result->agreement.sinceOrdinal();
    const engine::TimelineIndex &index = m_fold->session()->index();
    if (!o || *o >= index.size())
        return std::nullopt;
    return index.revision(*o);
}

QString RowBesideFoldView::statusText() const
{
    return m_status->text();
}

QString RowBesideFoldView::sinceText() const
{
    return m_since->text();
}

void RowBesideFoldView::show(const RowBesideFold &r)
{
    m_busy = false;
    m_refresh->setEnabled(true);
    showMessage({});
    m_result = r;
    const QString where = r.mapping + QStringLiteral(" — ") + r.source;
    if (r.rowError) {
        m_status->setText(tr("Cannot read the row of %1 (%2): %3").arg(r.aggregateId, where, r.rowError.toString()));
    } else if (!r.found) {
        m_status->setText(tr("Missing row: the read model has no row for %1 (%2).").arg(r.aggregateId, where));
    } else if (!r.error.isEmpty() || !r.agreement.error.isEmpty()) {
        m_status->setText(tr("Row of %1 read (%2), but the fold failed: %3")
                              .arg(r.aggregateId, where, r.error.isEmpty() ? r.agreement.error : r.error));
    } else {
        const AgreementResult &a = r.agreement;
        QString status = a.verdict == AgreementResult::Verdict::Equal
            ? tr("Row of %1 (%2): equal to the fold at the head.")
            : tr("Row of %1 (%2): %n path(s) differ from the fold at the head.", nullptr, int(a.paths.size()));
        status = status.arg(r.aggregateId, where);
        if (!r.rowProblems.isEmpty() || !a.problems.isEmpty())
            status += QLatin1Char(' ')
                + tr("Values that do not coerce: %1").arg((r.rowProblems + a.problems).join(QStringLiteral("; ")));
        m_status->setText(status);
        if (a.verdict == AgreementResult::Verdict::Since) {
            const quint64 since = *a.sinceOrdinal();
            m_since->setText(
                tr("<b>Disagree since %1</b>: the row equals the state after %2 and no later state — the stream's "
                   "last %n event(s) are not reflected in the row.",
                   nullptr, int(a.size - since))
                    .arg(revisionText(since + 1).toHtmlEscaped(), revisionText(since).toHtmlEscaped()));
            m_jump->setText(tr("Go to revision %1").arg(*sinceRevision()));
            m_jump->setVisible(true);
        } else if (a.verdict == AgreementResult::Verdict::Never) {
            m_since->setText(tr("<b>Never equal</b>: no state of the stream, from the first event to the head, equals "
                                "the row — it was written from something else than these events (see the last "
                                "agreement of each path)."));
        } else {
            m_since->setText(tr("In sync: the fold at the head equals the row."));
        }
    }
    m_rowTitle->setText(tr("Read model row %1 (mapped)").arg(r.aggregateId));
    m_rowTree->setJson(r.rowShape);
    m_cursorShape = {};
    m_cursorOrdinal = -1;
    const CursorState &cursor = m_fold->cursorState();
    if (r.found && cursor.generation == m_fold->generation())
        m_wantedCursor = WantedCursor{cursor.state, cursor.ordinal};
    fillPaths();
    startUpdate(isVisible());
    Q_EMIT updated();
}

void RowBesideFoldView::fillPaths()
{
    m_paths->setRowCount(0);
    if (!m_result)
        return;
    const QList<PathAgreement> &paths = m_result->agreement.paths;
    m_paths->setRowCount(int(paths.size()));
    for (int row = 0; row < paths.size(); ++row) {
        const PathAgreement &p = paths.at(row);
        const QString agreed = p.lastEqualCount ? revisionText(*p.lastEqualCount) : tr("never");
        const QStringList cells{p.path, readmodel::DriftReportText::valueText(p.fold),
                                readmodel::DriftReportText::valueText(p.row), agreed};
        for (int c = 0; c < cells.size(); ++c)
            m_paths->setItem(row, c, new QTableWidgetItem(cells.at(c)));
    }
    // As tall as its rows (up to eight): the fold and the row below get the rest.
    const int rows = std::clamp(int(paths.size()), 1, 8);
    m_paths->setMaximumHeight(m_paths->horizontalHeader()->height()
                              + rows * m_paths->verticalHeader()->defaultSectionSize() + 2 * m_paths->frameWidth() + 2);
}

void RowBesideFoldView::cursorMoved(const CursorState &state)
{
    if (!m_result || !m_result->found || state.generation != m_fold->generation())
        return;
    m_wantedCursor = WantedCursor{state.state, state.ordinal};
    startUpdate(m_compare == Compare::CursorVsRow && isVisible());
}

void RowBesideFoldView::startUpdate(bool emitDiff)
{
    const int i = m_mappingBox->currentIndex();
    if (!m_result || !m_result->found || i < 0 || i >= m_mappings.size())
        return;
    const bool head = m_compare == Compare::HeadVsRow;
    m_diffWanted = m_diffWanted || emitDiff; // a newer job must not drop what an older one was to send
    if (!m_diffWanted && !m_wantedCursor)
        return;
    const bool wantDiff = m_diffWanted;
    // Everything the worker needs, by value (Qt's JSON values are shared, read-only, across threads).
    const ReadModelMapping mapping = m_mappings.at(i);
    const QString aggregateId = m_result->aggregateId;
    const QJsonObject rowShape = m_result->rowShape;
    const QJsonObject headShape = m_result->agreement.headShape;
    const QJsonObject knownShape = m_cursorShape;
    const std::optional<WantedCursor> cursor = m_wantedCursor;
    const engine::DiffOptions options = m_fold->diffOptions();
    const std::function<void(qint64)> hook = m_workHook;
    m_diffJob.start([=](const JobTracker::Job &job) {
        if (hook)
            hook(cursor ? cursor->ordinal : -2);
        if (job.isCancelled())
            return;
        const QJsonObject shape = cursor ? mapping.foldShape(cursor->state, nullptr, aggregateId) : knownShape;
        std::optional<engine::DiffResult> diff;
        if (wantDiff)
            diff = engine::JsonDiff::diff(head ? headShape : shape, rowShape, options);
        job.post([this, cursor, shape, diff, head] {
            if (cursor) {
                m_wantedCursor.reset();
                m_cursorShape = shape;
                m_cursorOrdinal = cursor->ordinal;
                m_foldTitle->setText(
                    cursor->ordinal < 0 ? tr("Fold before the first event (mapped)")
                                        : tr("Fold at the cursor, %1 (mapped)").arg(revisionText(cursor->ordinal + 1)));
                m_foldTree->setJson(m_cursorShape);
            }
            if (!diff)
                return;
            m_diffWanted = false;
            const QString foldLabel = head ? tr("fold at the head") : tr("fold at the cursor");
            const QString title =
                tr("%1 of %2 vs read model %3").arg(foldLabel, QString::fromUtf8(m_stream), m_result->mapping);
            Q_EMIT diffReady(*diff, title, foldLabel, tr("read model row"),
                             diff->entries.isEmpty() ? tr("The fold and the row agree on every mapped field.")
                                                     : QString());
        });
    });
}

} // namespace chronoscope::views
