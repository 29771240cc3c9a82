#include "ExportActions.h"

#include "InspectorDocks.h"
#include "MainWindow.h"
#include "ReportSigningKey.h"
#include "Workspace.h"
#include "client/StreamsClient.h"
#include "common/LoadIndicator.h"
#include "events/EventListView.h"
#include "fold/FoldController.h"
#include "report/ExaminationReport.h"
#include "report/ReportSignature.h"
#include "report/ReportVerifier.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QStatusBar>

namespace chronoscope {

ExportActions::ExportActions(MainWindow *window, Workspace *workspace, EventsDock *events, CredentialStore *credentials,
                             QMenu *file)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_eventsDock(events)
    , m_events(file->addAction(tr("&Export Events…")))
    , m_fixture(file->addAction(tr("Export Slice as Test &Fixture…")))
    , m_report(file->addAction(tr("Export Examination &Report…")))
    , m_verify(file->addAction(tr("&Verify Report…")))
    , m_verifyWithKey(file->addAction(tr("Verify Report Against Public &Key…")))
    , m_signingKey(nullptr)
    , m_indicator(new views::LoadIndicator(window))
{
    // The signing key is a credential: it goes where passwords go (keychain, else session memory).
    m_signingKey = new ReportSigningKey(credentials, window, file);
    m_events->setObjectName(QStringLiteral("exportEventsAction"));
    m_events->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_events->setToolTip(tr("The events the list shows, as JSON Lines (lossless) or CSV"));
    m_fixture->setObjectName(QStringLiteral("exportFixtureAction"));
    m_fixture->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_fixture->setToolTip(tr("The events up to the cursor and the state they fold to, for a test"));
    connect(m_events, &QAction::triggered, this, &ExportActions::askEvents);
    connect(m_fixture, &QAction::triggered, this, &ExportActions::askFixture);
    m_report->setObjectName(QStringLiteral("exportReportAction"));
    m_report->setToolTip(tr("What was examined (stream, events, cursor, state) with a digest that can be verified later"));
    m_verify->setObjectName(QStringLiteral("verifyReportAction"));
    m_verify->setToolTip(tr("Check a report's signature, then read its events again from the server and check they are unchanged"));
    m_verifyWithKey->setObjectName(QStringLiteral("verifyReportWithKeyAction"));
    m_verifyWithKey->setToolTip(tr("Check that a report was signed with the key of a PEM public key, then verify its events"));
    connect(m_report, &QAction::triggered, this, &ExportActions::askReport);
    connect(m_verify, &QAction::triggered, this, [this] { askVerify(false); });
    connect(m_verifyWithKey, &QAction::triggered, this, [this] { askVerify(true); });
    connect(m_signingKey, &ReportSigningKey::generated, this, [this](const QString &fingerprint, const QString &message) {
        if (fingerprint.isEmpty())
            m_window->showError(tr("No signing key was made"), message);
        else
            m_window->showStatus(message, 15000);
    });
    connect(m_signingKey, &ReportSigningKey::exported, this, [this](const QString &path, const QString &error) {
        if (error.isEmpty())
            m_window->showStatus(tr("Public key saved to %1: give it to whoever verifies your reports").arg(path), 15000);
        else
            m_window->showError(tr("The public key was not exported"), error);
    });
    m_indicator->setObjectName(QStringLiteral("exportIndicator"));
    window->statusBar()->addWidget(m_indicator);
    connect(m_indicator, &views::LoadIndicator::cancelRequested, this, &ExportActions::cancel);

    auto sync = [this] {
        const bool any = m_workspace->session()->cursor()->count() > 0;
        m_events->setEnabled(any);
        m_fixture->setEnabled(any && m_workspace->session()->cursor()->position() >= 0);
        m_report->setEnabled(any);
    };
    connect(m_workspace->session()->cursor(), &TimeCursor::countChanged, this, sync);
    connect(m_workspace->session()->cursor(), &TimeCursor::positionChanged, this, sync);
    sync();
}

void ExportActions::askEvents()
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Events"),
        QString::fromUtf8(m_workspace->session()->stream()).remove(QLatin1Char('$')) + QStringLiteral(".jsonl"),
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
        QString::fromUtf8(m_workspace->session()->stream()).remove(QLatin1Char('$')) + QStringLiteral(".fixture.json"),
        tr("Chronoscope fixture (*.json)"));
    if (!path.isEmpty())
        exportFixture(path);
}

void ExportActions::askReport()
{
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Examination Report"),
        QString::fromUtf8(m_workspace->session()->stream()).remove(QLatin1Char('$')) + QStringLiteral(".report.json"),
        tr("Chronoscope report (*.json)"));
    if (path.isEmpty())
        return;
    bool ok = false;
    const QString note = QInputDialog::getText(m_window, tr("Examination Report"), tr("Note (optional):"),
                                               QLineEdit::Normal, QString(), &ok);
    if (ok)
        exportReport(path, note);
}

void ExportActions::askVerify(bool withKey)
{
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Verify Report"), QString(),
                                                      tr("Chronoscope report (*.json)"));
    if (path.isEmpty())
        return;
    QString key;
    if (withKey) {
        key = QFileDialog::getOpenFileName(m_window, tr("The Signer's Public Key"), QFileInfo(path).path(),
                                           tr("PEM public key (*.pem *.pub);;All files (*)"));
        if (key.isEmpty())
            return;
    }
    verifyReport(path, key);
}

void ExportActions::exportReport(const QString &path, const QString &note)
{
    TimelineSession *session = m_workspace->session();
    const FoldController *fold = m_workspace->fold();
    ExaminationReport::Examined x;
    x.connection = m_workspace->connectionText();
    x.serverVersion = m_workspace->serverVersion();
    x.stream = session->stream();
    x.reducer = fold->reducerName();
    x.cursor = session->cursor()->position();
    x.markerA = session->cursor()->markerA();
    x.markerB = session->cursor()->markerB();
    x.note = note;
    if (x.cursor >= 0) {
        const engine::TimelineIndex &index = session->index();
        x.cursorEvent.revision = index.revision(quint64(x.cursor));
        x.cursorEvent.type = index.typeName(quint64(x.cursor));
        x.cursorEvent.createdTicks = index.createdTicks(quint64(x.cursor));
        if (fold->cursorState().ordinal == x.cursor)
            x.stateAtCursor = fold->cursorState().state;
    }
    const quint64 count = session->index().size();
    m_signingKey->fetch([this, x, count, path](const QByteArray &key, const QString &problem) {
        m_doneNote = ReportSigningKey::signingNote(key, problem);
        run(tr("Writing a report over %1 events").arg(QLocale().toString(count)), path,
            [x, count, path, key](engine::PayloadCache &cache, const EventExport::Progress &progress) mutable {
                const ExaminationReport::Digest d = ExaminationReport::digest(cache, count, progress);
                if (!d.error.isEmpty())
                    return d.error;
                if (x.cursor >= 0) // the cursor event's id, from the payload cache
                    if (const auto block = cache.blockFor(quint64(x.cursor)); block.events)
                        x.cursorEvent.id = block.events->at(qsizetype(quint64(x.cursor) - block.first)).id;
                QJsonObject report = ExaminationReport::toJson(x, d, QDateTime::currentDateTimeUtc());
                if (!key.isEmpty()) {
                    QString error;
                    report = ReportSignature::sign(report, key, &error);
                    if (!error.isEmpty())
                        return QStringLiteral("the report could not be signed (nothing was written): %1").arg(error);
                }
                return ExaminationReport::write(path, report);
            });
    });
}

void ExportActions::verifyReport(const QString &path, const QString &keyPemPath)
{
    const ReportVerifier::Input input = ReportVerifier::load(path, keyPemPath);
    if (!input.error.isEmpty())
        return verificationFailed(path, tr("The report could not be verified"), input.error);

    // First the signature, offline: an altered report is not worth reading the server for.
    const ReportVerifier::Offline offline = ReportVerifier::checkOffline(input.report, input.expectedPublicKey);
    Q_EMIT signatureChecked(path, int(offline.signature.status), offline.signature.message);
    if (!offline.ok())
        return verificationFailed(path, offline.failureTitle, offline.failure);

    const std::shared_ptr<const StreamsClient> client = m_workspace->client();
    if (!client) {
        if (!offline.signature.valid())
            return verificationFailed(path, tr("The report could not be verified"),
                                      tr("it is not signed, and no server is connected to read its events again"));
        const QString message = tr("Report %1; connect to the server it was made on to check its events too")
                                    .arg(offline.signature.message);
        m_window->showStatus(message, 15000);
        Q_EMIT verified(path, false, message);
        return;
    }
    if (offline.stream.isEmpty())
        return verificationFailed(path, tr("The report could not be verified"), tr("it names no stream"));
    m_running = true;
    m_verifying = true;
    m_indicator->start(
        tr("Verifying %1 against %2…").arg(QFileInfo(path).fileName(), QString::fromUtf8(offline.stream)));
    m_job.start([this, client, report = input.report, count = offline.count, path,
                 signatureText = offline.signatureText()](const JobTracker::Job &job) {
        const ExaminationReport::Verification v = ReportVerifier::readAgain(
            *client, report, job.cancellation(), [this, &job, count](quint64 n) {
                job.post([this, n, count] {
                    m_indicator->setText(tr("Verifying: %1 of %2 events read").arg(QLocale().toString(n), QLocale().toString(count)));
                });
            });
        if (job.isCancelled())
            return; // cancel() has said so
        job.post([this, path, v, signatureText] {
            m_running = false;
            m_verifying = false;
            m_indicator->finish();
            const QString message = tr("%1; %2").arg(signatureText, v.message);
            if (v.unchanged)
                m_window->showStatus(tr("Report verified: %1").arg(message), 15000);
            else
                m_window->showError(tr("The report does not match the server"), message);
            Q_EMIT verified(path, v.unchanged, message);
        });
    });
}

void ExportActions::verificationFailed(const QString &path, const QString &title, const QString &problem)
{
    m_window->showError(title, problem);
    Q_EMIT verified(path, false, problem);
}

QList<quint64> ExportActions::listedOrdinals() const
{
    QList<quint64> out;
    const TimelineEventModel *model = m_eventsDock->list()->model();
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
    const qint64 cursor = m_workspace->session()->cursor()->position();
    const FoldController *fold = m_workspace->fold();
    if (cursor < 0 || fold->cursorState().ordinal != cursor || !fold->cursorState().ok()) {
        done(path, tr("the state at the cursor is not folded yet: wait for the State pane, then export again"));
        return;
    }
    QList<quint64> ordinals;
    for (qint64 o = 0; o <= cursor; ++o)
        ordinals.append(quint64(o));
    const EventExport::Fixture fixture{m_workspace->session()->stream(), fold->reducerName(),
                                       fold->cursorState().state};
    run(tr("Exporting a fixture of %1 events").arg(QLocale().toString(ordinals.size())), path,
        [ordinals, fixture, path](engine::PayloadCache &cache, const EventExport::Progress &progress) {
            return EventExport::writeFixture(cache, ordinals, fixture, path, progress);
        });
}

void ExportActions::run(const QString &what, const QString &path,
                        std::function<QString(engine::PayloadCache &, const EventExport::Progress &)> write)
{
    const std::shared_ptr<engine::PayloadCache> cache = m_workspace->session()->payloads();
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
    if (std::exchange(m_verifying, false)) {
        m_running = false;
        m_indicator->finish();
        m_window->showStatus(tr("Verification cancelled"), 8000);
        Q_EMIT verified({}, false, QStringLiteral("cancelled"));
        return;
    }
    done({}, QStringLiteral("cancelled"));
}

void ExportActions::done(const QString &path, const QString &error)
{
    m_running = false;
    const QString note = std::exchange(m_doneNote, QString());
    m_indicator->finish();
    if (error.isEmpty())
        m_window->showStatus(note.isEmpty() ? tr("Exported to %1").arg(path) : tr("Exported to %1 (%2)").arg(path, note),
                             10000);
    else if (error == QLatin1String("cancelled"))
        m_window->showStatus(tr("Export cancelled: nothing was written"), 8000);
    else
        m_window->showError(tr("The export failed"), error);
    Q_EMIT finished(path, error);
}

} // namespace chronoscope
