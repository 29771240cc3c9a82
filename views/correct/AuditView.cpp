#include "correct/AuditView.h"

#include "common/JsonHighlighter.h"
#include "correct/AuditModel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace chronoscope::views {

namespace {
const char *const kResults[] = {"appended", "already-appended", "conflict", "error", "unknown", "pending"};
}

AuditView::AuditView(const AuditLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_model(new AuditModel(this))
    , m_stream(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_result(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_verifyButton(new QPushButton(tr("&Verify Log"), this))
    , m_verification(new QLabel(this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("auditView"));
    m_stream->setObjectName(QStringLiteral("auditStreamFilter"));
    m_stream->setPlaceholderText(tr("stream"));
    m_stream->setClearButtonEnabled(true);
    m_user->setObjectName(QStringLiteral("auditUserFilter"));
    m_user->setPlaceholderText(tr("user"));
    m_user->setClearButtonEnabled(true);
    m_result->setObjectName(QStringLiteral("auditResultFilter"));
    m_result->addItem(tr("All results"));
    for (const char *r : kResults)
        m_result->addItem(QLatin1String(r), QLatin1String(r));
    auto *exportButton = new QPushButton(tr("&Export…"), this);
    m_verifyButton->setObjectName(QStringLiteral("verifyAuditLog"));
    m_verification->setObjectName(QStringLiteral("auditVerification"));
    m_verification->setTextFormat(Qt::PlainText);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_stream, 2);
    filters->addWidget(m_user, 1);
    filters->addWidget(m_result);
    filters->addWidget(exportButton);
    filters->addWidget(m_verifyButton);

    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_details->setObjectName(QStringLiteral("auditDetails"));
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_details->setPlaceholderText(tr("Select an attempt to see its whole record and outcome."));
    new JsonHighlighter(m_details->document(), palette().color(QPalette::Base).lightness() < 128);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *footer = new QHBoxLayout;
    footer->addWidget(m_summary, 1);
    footer->addWidget(m_verification);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(split, 1);
    layout->addLayout(footer);

    connect(m_stream, &QLineEdit::textChanged, this, &AuditView::applyFilter);
    connect(m_user, &QLineEdit::textChanged, this, &AuditView::applyFilter);
    connect(m_result, &QComboBox::currentIndexChanged, this, &AuditView::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditView::showDetails);
    connect(m_table, &QTableView::doubleClicked, this, &AuditView::openSelected);
    connect(m_verifyButton, &QPushButton::clicked, this, &AuditView::verify);
    connect(exportButton, &QPushButton::clicked, this, &AuditView::chooseExport);
    connect(&m_loading, &QFutureWatcherBase::finished, this, [this] {
        m_reader = m_loading.result();
        applyFilter();
        Q_EMIT loaded();
        if (m_reloadAgain) {
            m_reloadAgain = false;
            reload();
        }
    });
    connect(&m_verifying, &QFutureWatcherBase::finished, this, [this] {
        const AuditVerification result = m_verifying.result();
        m_verifyButton->setEnabled(true);
        m_verification->setText(result.ok() ? tr("✔ Whole: %n record(s), chain intact", nullptr, int(result.records))
                                            : tr("✖ %1").arg(result.toString()));
        m_verification->setStyleSheet(result.ok() ? QStringLiteral("QLabel { color: #2e7d32; }")
                                                  : QStringLiteral("QLabel { color: #c62828; font-weight: bold; }"));
        Q_EMIT verified(result);
    });
    reload();
}

AuditView::~AuditView()
{
    m_loading.waitForFinished();
    m_verifying.waitForFinished();
}

QString AuditView::verificationText() const
{
    return m_verification->text();
}

void AuditView::reload()
{
    if (m_loading.isRunning()) {
        m_reloadAgain = true;
        return;
    }
    m_summary->setText(tr("Reading %1…").arg(m_log->path()));
    const QString path = m_log->path();
    m_loading.setFuture(QtConcurrent::run([path] {
        auto reader = std::make_shared<AuditReader>(path);
        reader->load(); // an error leaves it empty; the summary says so below
        return reader;
    }));
}

void AuditView::verify()
{
    if (m_verifying.isRunning())
        return;
    m_verifyButton->setEnabled(false);
    m_verification->setText(tr("Verifying…"));
    m_verification->setStyleSheet(QString());
    const AuditLog *log = m_log;
    m_verifying.setFuture(QtConcurrent::run([log] { return log->verify(); }));
}

void AuditView::applyFilter()
{
    if (!m_reader)
        return;
    AuditFilter filter;
    filter.stream = m_stream->text().trimmed();
    filter.user = m_user->text().trimmed();
    if (m_result->currentIndex() > 0)
        filter.results = QStringList{m_result->currentData().toString()};
    m_model->setRecords(*m_reader, m_reader->select(filter));
    m_table->resizeColumnsToContents();
    QString summary = tr("%n attempt(s) shown", nullptr, m_model->rowCount());
    const qsizetype pending = m_reader->pendingAttempts().size();
    if (pending > 0)
        summary += tr(" · %n without an answer", nullptr, int(pending));
    if (m_reader->skippedLines() > 0)
        summary += tr(" · %n unreadable line(s): verify the log", nullptr, int(m_reader->skippedLines()));
    m_summary->setText(summary + QStringLiteral(" · ") + m_log->path());
    m_details->clear();
}

void AuditView::showDetails()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_details->clear();
        return;
    }
    const AuditModel::Row &row = m_model->row(current.row());
    QString text = QString::fromUtf8(QJsonDocument(row.attempt.fields).toJson(QJsonDocument::Indented));
    if (row.outcome)
        text += QLatin1Char('\n')
            + QString::fromUtf8(QJsonDocument(row.outcome->fields).toJson(QJsonDocument::Indented));
    m_details->setPlainText(text);
}

void AuditView::openSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    const AuditModel::Row &row = m_model->row(current.row());
    const QJsonValue revision = row.outcome ? row.outcome->fields.value(QLatin1String("revision")) : QJsonValue();
    Q_EMIT openEventRequested(row.attempt.text("stream").toUtf8(), revision.isUndefined() ? -1 : revision.toInteger());
}

QString AuditView::exportTo(const QString &path)
{
    const QList<AuditRecord> records = m_model->shownRecords();
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? AuditReader::exportCsv(records, path)
                                                                     : AuditReader::exportJsonLines(records, path);
}

void AuditView::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Audit Records"), QStringLiteral("audit.jsonl"),
                                                      tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const QString error = exportTo(path);
    m_summary->setText(error.isEmpty() ? tr("Exported %n attempt(s) to %1", nullptr, m_model->rowCount()).arg(path)
                                       : error);
}

} // namespace chronoscope::views
