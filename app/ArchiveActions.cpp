#include "ArchiveActions.h"

#include "MainWindow.h"
#include "ReportSigningKey.h"
#include "Workspace.h"
#include "archive/ArchiveBanner.h"
#include "archive/ArchiveReader.h"
#include "archive/ArchiveWriter.h"
#include "common/LoadIndicator.h"
#include "report/ArchiveSigning.h"
#include "session/TimelineSession.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonObject>
#include <QLocale>
#include <QMenu>
#include <QMimeData>
#include <QStatusBar>
#include <QToolBar>

namespace chronoscope {

namespace {

const char *const kArchiveFilter = QT_TRANSLATE_NOOP("chronoscope::ArchiveActions",
                                                     "Chronoscope archives (*.chronarc);;All files (*)");

/// The one local file of a drag, when it carries exactly one.
QString droppedFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().constFirst().isLocalFile())
        return {};
    return mime->urls().constFirst().toLocalFile();
}

/// Events [0, count) of `cache` into `writer`, in batches; an error, "cancelled", or empty when all went.
QString copyEvents(engine::PayloadCache &cache, quint64 count, archive::ArchiveWriter &writer,
                   const JobTracker::Job &job, const std::function<void(quint64)> &progress)
{
    constexpr quint64 kBatch = 4096;
    for (quint64 first = 0; first < count; first += kBatch) {
        if (job.isCancelled())
            return QStringLiteral("cancelled");
        const quint64 n = std::min(kBatch, count - first);
        const engine::FetchResult fetched = cache.events(first, n);
        if (!fetched.ok())
            return fetched.error;
        if (quint64(fetched.events.size()) != n)
            return QStringLiteral("the timeline ended at event %1 of %2").arg(first + fetched.events.size()).arg(count);
        if (!writer.add(fetched.events))
            return writer.error();
        progress(first + n);
    }
    return {};
}

} // namespace

ArchiveActions::ArchiveActions(MainWindow *window, Workspace *workspace, QMenu *file)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_banner(new views::ArchiveBanner(window))
    , m_open(file->addAction(tr("Open &Archive…")))
    , m_openIndicator(new views::LoadIndicator(window))
    , m_exportIndicator(new views::LoadIndicator(window))
{
    m_open->setObjectName(QStringLiteral("openArchiveAction"));
    m_open->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O)); // Ctrl+O connects, Ctrl+Shift+A sets marker A
    m_open->setToolTip(tr("Open a Chronoscope archive offline: no server needed, nothing can be written"));
    connect(m_open, &QAction::triggered, this, &ArchiveActions::askOpen);
    file->addSeparator();

    // The banner spans the window above the docks, in a fixed bar shown while an archive is open.
    m_bar = window->addBannerBar(tr("Archive"), QStringLiteral("archiveBannerBar"), m_banner);

    m_openIndicator->setObjectName(QStringLiteral("archiveOpenIndicator"));
    m_exportIndicator->setObjectName(QStringLiteral("archiveExportIndicator"));
    window->statusBar()->addWidget(m_openIndicator);
    window->statusBar()->addWidget(m_exportIndicator);
    connect(m_openIndicator, &views::LoadIndicator::cancelRequested, workspace, &Workspace::cancelLoading);
    connect(workspace, &Workspace::archiveCancelled, this, [this] { // its Cancel, or Esc
        m_openIndicator->finish();
        m_window->showStatus(tr("Opening the archive cancelled"), 8000);
    });
    connect(m_exportIndicator, &views::LoadIndicator::cancelRequested, this, &ArchiveActions::cancelExport);
    connect(workspace, &Workspace::archiveOpened, this, &ArchiveActions::onOpened);
    connect(workspace, &Workspace::archiveVerified, this, &ArchiveActions::onOpened);
    connect(workspace, &Workspace::archiveFailed, this, [this](const QString &path, const QString &error) {
        m_openIndicator->finish();
        m_window->showError(tr("Cannot open %1 as an archive").arg(QFileInfo(path).fileName()), error);
    });
    connect(workspace, &Workspace::connected, this, &ArchiveActions::onConnected);

    window->setAcceptDrops(true);
    window->installEventFilter(this);
}

void ArchiveActions::addExport(QMenu *file, ReportSigningKey *key)
{
    m_signingKey = key;
    m_export = file->addAction(tr("Export &Archive…"));
    m_export->setObjectName(QStringLiteral("exportArchiveAction"));
    m_export->setToolTip(tr("The loaded timeline as an archive that opens offline, signed with your report "
                            "signing key when you have one"));
    connect(m_export, &QAction::triggered, this, &ArchiveActions::askExport);
    TimeCursor *cursor = m_workspace->session()->cursor();
    auto sync = [this, cursor] { m_export->setEnabled(cursor->count() > 0); };
    connect(cursor, &TimeCursor::countChanged, this, sync);
    sync();
}

void ArchiveActions::askOpen()
{
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Archive"), QString(), tr(kArchiveFilter));
    if (!path.isEmpty())
        openArchive(path);
}

void ArchiveActions::openArchive(const QString &path)
{
    m_openIndicator->start(tr("Opening %1 by its index…").arg(QFileInfo(path).fileName()));
    m_workspace->openArchive(path);
}

void ArchiveActions::onOpened()
{
    m_openIndicator->finish();
    // Opened by its index at once; the whole check follows in a worker (onOpened runs again then).
    const std::shared_ptr<const archive::ArchiveReader> verified = m_workspace->verifiedArchive();
    const std::shared_ptr<const archive::ArchiveReader> reader = verified ? verified : m_workspace->archive();
    if (!reader)
        return;
    const QString file = QFileInfo(reader->path()).fileName();
    m_banner->showArchive(*reader, reader->prefixEventCount());
    m_bar->setVisible(true);
    if (!verified) {
        m_window->setWindowTitle(tr("%1 — archive, offline (checking) — Chronoscope").arg(file));
        return;
    }
    m_window->setWindowTitle(reader->intact() ? tr("%1 — archive, offline — Chronoscope").arg(file)
                                              : tr("%1 — DAMAGED archive, offline — Chronoscope").arg(file));
    if (!reader->intact())
        m_window->showError(
            tr("The archive %1 is damaged: %2 of its events open").arg(file).arg(reader->prefixEventCount()),
            reader->summary());
}

void ArchiveActions::onConnected()
{
    m_banner->clear();
    m_bar->setVisible(false);
    m_window->setWindowTitle(tr("Chronoscope"));
}

bool ArchiveActions::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::DragEnter) {
        auto *drag = static_cast<QDragEnterEvent *>(event);
        if (!droppedFile(drag->mimeData()).isEmpty()) {
            drag->acceptProposedAction();
            return true;
        }
    } else if (watched == m_window && event->type() == QEvent::Drop) {
        auto *drop = static_cast<QDropEvent *>(event);
        const QString path = droppedFile(drop->mimeData());
        if (!path.isEmpty()) {
            drop->acceptProposedAction();
            openArchive(path);
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

void ArchiveActions::askExport()
{
    const QString stream = QString::fromUtf8(m_workspace->session()->stream()).remove(QLatin1Char('$'));
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Archive"),
                                                      stream + QStringLiteral(".chronarc"), tr(kArchiveFilter));
    if (!path.isEmpty())
        exportArchive(path);
}

void ArchiveActions::exportArchive(const QString &path)
{
    if (m_exporting) {
        exportDone(path, tr("another archive is being written"), {});
        return;
    }
    if (!m_workspace->session()->payloads() || m_workspace->session()->index().size() == 0) {
        exportDone(path, tr("nothing is loaded"), {});
        return;
    }
    m_exporting = true;
    const quint64 id = ++m_exportId;
    if (!m_signingKey) {
        runExport(path, {}, tr("unsigned"));
        return;
    }
    m_signingKey->fetch([this, path, id](const QByteArray &key, const QString &problem) {
        if (m_exporting && id == m_exportId) // not cancelled while the keychain answered
            runExport(path, key, ReportSigningKey::signingNote(key, problem));
    });
}

void ArchiveActions::runExport(const QString &path, const QByteArray &privateKey, const QString &signingNote)
{
    const TimelineSession *session = m_workspace->session();
    const std::shared_ptr<engine::PayloadCache> cache = session->payloads();
    const quint64 count = session->index().size();
    archive::ArchiveWriter::Provenance provenance;
    provenance.stream = QString::fromUtf8(session->stream());
    provenance.isAll = session->isAll();
    provenance.resolvesLinks = session->resolvesLinks();
    provenance.selection = tr("the %1 events loaded in the window").arg(count);
    provenance.createdBy = QStringLiteral("Chronoscope %1").arg(QStringLiteral(CHRONOSCOPE_VERSION));
    if (const auto reader = m_workspace->archive()) { // an archive of an archive keeps its origin
        const QJsonObject source = reader->manifest().value(QStringLiteral("source")).toObject();
        provenance.connection = source.value(QStringLiteral("connection")).toString();
        provenance.extra.insert(QStringLiteral("archivedFrom"),
                                QJsonObject{{QStringLiteral("file"), QFileInfo(reader->path()).fileName()},
                                            {QStringLiteral("sha256"),
                                             reader->footer().value(QStringLiteral("sha256"))}});
    } else {
        provenance.connection = m_workspace->connectionText(); // redacted
    }
    archive::ArchiveWriter::Options options;
    if (!privateKey.isEmpty())
        options.signer = archiveSigning::signer(privateKey);

    const QString what = tr("Archiving %1 events to %2").arg(QLocale().toString(count), QFileInfo(path).fileName());
    m_exportIndicator->start(what + QStringLiteral("…"));
    m_job.start([this, cache, count, path, provenance, options, what, signingNote](const JobTracker::Job &job) {
        archive::ArchiveWriter writer(path, provenance, options);
        QString error = writer.open() ? QString() : writer.error();
        if (error.isEmpty())
            error = copyEvents(*cache, count, writer, job, [this, &job, what, count](quint64 done) {
                job.post([this, what, done, count] {
                    m_exportIndicator->setText(
                        tr("%1: %2 of %3").arg(what, QLocale().toString(done), QLocale().toString(count)));
                });
            });
        if (error.isEmpty() && !job.isCancelled() && !writer.finish())
            error = writer.error();
        if (!error.isEmpty())
            writer.cancel(); // nothing in place
        job.post([this, path, error, signingNote] { exportDone(path, error, signingNote); });
    });
}

void ArchiveActions::cancelExport()
{
    if (!m_exporting)
        return;
    ++m_exportId;   // a signing key still being fetched starts nothing
    m_job.cancel(); // the worker stops at its next batch and leaves nothing in place
    exportDone({}, QStringLiteral("cancelled"), {});
}

void ArchiveActions::exportDone(const QString &path, const QString &error, const QString &note)
{
    m_exporting = false;
    m_exportIndicator->finish();
    if (error.isEmpty())
        m_window->showStatus(tr("Archive written to %1 (%2)").arg(path, note), 15000);
    else if (error == QLatin1String("cancelled"))
        m_window->showStatus(tr("Archive export cancelled: nothing was written"), 8000);
    else
        m_window->showError(tr("The archive was not written"), error);
    Q_EMIT exported(path, error);
}

} // namespace chronoscope
