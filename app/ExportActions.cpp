#include "ExportActions.h"

#include "EventListView.h"
#include "FoldController.h"
#include "InspectorDocks.h"
#include "LoadIndicator.h"
#include "MainWindow.h"
#include "TimelineEventModel.h"
#include "TimelineSession.h"
#include "engine/PayloadCache.h"

#include <QAction>
#include <QFileDialog>
#include <QLocale>
#include <QMenu>
#include <QStatusBar>

namespace chronoscope {

ExportActions::ExportActions(MainWindow *window, QMenu *file)
    : QObject(window)
    , m_window(window)
    , m_events(file->addAction(tr("&Export Events…")))
    , m_fixture(file->addAction(tr("Export Slice as Test &Fixture…")))
    , m_indicator(new views::LoadIndicator(window))
{
    m_events->setObjectName(QStringLiteral("exportEventsAction"));
    m_events->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_events->setToolTip(tr("The events the list shows, as JSON Lines (lossless) or CSV"));
    m_fixture->setObjectName(QStringLiteral("exportFixtureAction"));
    m_fixture->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_fixture->setToolTip(tr("The events up to the cursor and the state they fold to, for a test"));
    connect(m_events, &QAction::triggered, this, &ExportActions::askEvents);
    connect(m_fixture, &QAction::triggered, this, &ExportActions::askFixture);
    m_indicator->setObjectName(QStringLiteral("exportIndicator"));
    window->statusBar()->addWidget(m_indicator);
    connect(m_indicator, &views::LoadIndicator::cancelRequested, this, &ExportActions::cancel);

    auto sync = [this] {
        const bool any = m_window->session()->cursor()->count() > 0;
        m_events->setEnabled(any);
        m_fixture->setEnabled(any && m_window->session()->cursor()->position() >= 0);
    };
    connect(window->session()->cursor(), &TimeCursor::countChanged, this, sync);
    connect(window->session()->cursor(), &TimeCursor::positionChanged, this, sync);
    sync();
}

void ExportActions::askEvents()
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Events"), QString::fromUtf8(m_window->session()->stream()).remove(QLatin1Char('$')) + QStringLiteral(".jsonl"),
        tr("JSON Lines, lossless (*.jsonl);;CSV for spreadsheets (*.csv)"), &filter);
    if (path.isEmpty())
        return;
    const bool csv = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) || filter.contains(QLatin1String("*.csv"));
    exportEvents(path, csv ? EventExport::Format::Csv : EventExport::Format::JsonLines);
}

void ExportActions::askFixture()
{
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Slice as Test Fixture"),
        QString::fromUtf8(m_window->session()->stream()).remove(QLatin1Char('$')) + QStringLiteral(".fixture.json"),
        tr("Chronoscope fixture (*.json)"));
    if (!path.isEmpty())
        exportFixture(path);
}

QList<quint64> ExportActions::listedOrdinals() const
{
    QList<quint64> out;
    const auto *events = m_window->findChild<EventsDock *>();
    const TimelineEventModel *model = events ? events->list()->model() : nullptr;
    if (!model)
        return out;
    const int rows = model->rowCount();
    out.reserve(rows);
    for (int r = 0; r < rows; ++r)
        if (const qint64 o = model->ordinalAt(r); o >= 0)
            out.append(quint64(o));
    std::sort(out.begin(), out.end()); // timeline order, whichever way the list is sorted
    return out;
}

void ExportActions::exportEvents(const QString &path, EventExport::Format format)
{
    const QList<quint64> ordinals = listedOrdinals();
    run(tr("Exporting %1 events").arg(QLocale().toString(ordinals.size())), path,
        [ordinals, format, path](engine::PayloadCache &cache, const EventExport::Progress &progress) {
            return EventExport::write(cache, ordinals, format, path, progress);
        });
}

void ExportActions::exportFixture(const QString &path)
{
    const qint64 cursor = m_window->session()->cursor()->position();
    const auto *fold = m_window->findChild<FoldController *>();
    if (cursor < 0 || !fold || fold->cursorState().ordinal != cursor || !fold->cursorState().ok()) {
        done(path, tr("the state at the cursor is not folded yet: wait for the State pane, then export again"));
        return;
    }
    QList<quint64> ordinals;
    for (qint64 o = 0; o <= cursor; ++o)
        ordinals.append(quint64(o));
    const EventExport::Fixture fixture{m_window->session()->stream(), fold->reducerName(), fold->cursorState().state};
    run(tr("Exporting a fixture of %1 events").arg(QLocale().toString(ordinals.size())), path,
        [ordinals, fixture, path](engine::PayloadCache &cache, const EventExport::Progress &progress) {
            return EventExport::writeFixture(cache, ordinals, fixture, path, progress);
        });
}

void ExportActions::run(const QString &what, const QString &path,
                        std::function<QString(engine::PayloadCache &, const EventExport::Progress &)> write)
{
    const std::shared_ptr<engine::PayloadCache> cache = m_window->session()->payloads();
    if (!cache) {
        done(path, tr("nothing is loaded"));
        return;
    }
    m_running = true;
    m_indicator->start(what + QStringLiteral("…"));
    m_job.start([this, cache, path, what, write = std::move(write)](const JobTracker::Job &job) {
        const QString error = write(*cache, [&job, this, what](quint64 done, quint64 total) {
            job.post([this, what, done, total] {
                m_indicator->setText(tr("%1: %2 of %3").arg(what, QLocale().toString(done), QLocale().toString(total)));
            });
            return !job.isCancelled();
        });
        job.post([this, path, error] { done(path, error); });
    });
}

void ExportActions::cancel()
{
    if (!m_running)
        return;
    m_job.cancel(); // the worker stops at its next progress call and writes nothing
    done({}, QStringLiteral("cancelled"));
}

void ExportActions::done(const QString &path, const QString &error)
{
    m_running = false;
    m_indicator->finish();
    if (error.isEmpty())
        m_window->showStatus(tr("Exported to %1").arg(path), 10000);
    else if (error == QLatin1String("cancelled"))
        m_window->showStatus(tr("Export cancelled: nothing was written"), 8000);
    else
        m_window->showError(tr("The export failed"), error);
    Q_EMIT finished(path, error);
}

} // namespace chronoscope
