#include "inspector/EventInspector.h"

#include "client/EventLookup.h"
#include "common/ElidedLabel.h"
#include "common/JsonHighlighter.h"
#include "common/JsonTreeWidget.h"
#include "inspector/CorrelationChainView.h"
#include "inspector/DecoderChooser.h"
#include "inspector/MetadataView.h"
#include "json/JsonReindent.h"
#include "payload/EventJson.h"
#include "payload/PayloadDecoder.h"
#include "payload/ProtobufDescriptorDecoder.h"
#include "session/TimelineSession.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {
/// The header: field id, label, grid row, grid column pair (0 left, 1 right, -1 the whole row).
struct HeaderField
{
    const char *id;
    const char *label;
    int row;
    int pair;
};
const HeaderField kFields[] = {{"stream", QT_TRANSLATE_NOOP("EventInspector", "Stream"), 0, 0},
                               {"revision", QT_TRANSLATE_NOOP("EventInspector", "Revision"), 0, 1},
                               {"type", QT_TRANSLATE_NOOP("EventInspector", "Type"), 1, 0},
                               {"position", QT_TRANSLATE_NOOP("EventInspector", "Position"), 1, 1},
                               {"id", QT_TRANSLATE_NOOP("EventInspector", "Event id"), 2, -1},
                               {"createdUtc", QT_TRANSLATE_NOOP("EventInspector", "Created (UTC)"), 3, -1},
                               {"createdLocal", QT_TRANSLATE_NOOP("EventInspector", "Created (local)"), 4, -1},
                               {"contentType", QT_TRANSLATE_NOOP("EventInspector", "Content type"), 5, -1},
                               {"size", QT_TRANSLATE_NOOP("EventInspector", "Size"), 6, -1}};

QString prettyText(const PayloadView &view)
{
    if (view.kind == PayloadView::Kind::Text)
        return view.text;
    if (view.kind != PayloadView::Kind::Json)
        return {};
    return JsonReindent::pretty(view.jsonText.isNull() ? view.bytes : view.jsonText, 4, EventInspector::kMaxPrettyChars);
}

QPlainTextEdit *monospaceView(QWidget *parent, const QString &name)
{
    auto *v = new QPlainTextEdit(parent);
    v->setObjectName(name);
    v->setReadOnly(true);
    v->setLineWrapMode(QPlainTextEdit::NoWrap);
    v->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return v;
}
} // namespace

EventInspector::EventInspector(TimelineSession *session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    auto *header = new QWidget(this);
    buildHeader(header);
    layout->addWidget(header);

    auto *bar = new QHBoxLayout;
    m_bar = bar;
    bar->setSpacing(4);
    auto protobuf = std::make_unique<ProtobufDescriptorDecoder>();
    m_protobuf = protobuf.get();
    m_decoders.add(std::move(protobuf));
    m_chooser = new DecoderChooser(m_decoders, m_protobuf, this);
    connect(m_chooser, &DecoderChooser::decoderChosen, this, &EventInspector::setDecoder);
    auto decodeAgain = [this]() {
        if (m_event)
            decodeAndShow(m_ordinal, *m_event);
    };
    connect(m_chooser, &DecoderChooser::messageTypeChosen, this, decodeAgain);
    connect(m_chooser, &DecoderChooser::descriptorSetLoaded, this, decodeAgain);
    auto button = [this, bar](const QString &name, const QString &text, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(tip);
        b->setEnabled(false);
        bar->addWidget(b);
        return b;
    };
    m_copy = button(QStringLiteral("copyJsonButton"), tr("Copy as JSON"), tr("Copy the whole event as JSON, the data as the chosen decoder reads it (raw bytes kept in base64)"));
    m_causation = button(QStringLiteral("causationButton"), tr("Go to Cause"),
                         tr("Go to the event whose id is this event's $causationId"));
    m_correlation = button(QStringLiteral("correlationButton"), tr("Correlation Chain"),
                           tr("List the events sharing this event's $correlationId"));
    connect(m_copy, &QToolButton::clicked, this, &EventInspector::copyAsJson);
    connect(m_causation, &QToolButton::clicked, this, &EventInspector::goToCausation);
    connect(m_correlation, &QToolButton::clicked, this, &EventInspector::showCorrelationChain);
    m_lookupProgress = new QProgressBar(this);
    m_lookupProgress->setRange(0, 0);
    m_lookupProgress->setMaximumWidth(80);
    m_lookupProgress->hide();
    bar->addWidget(m_lookupProgress);
    m_lookupStop = new QToolButton(this);
    m_lookupStop->setText(tr("Stop"));
    m_lookupStop->hide();
    connect(m_lookupStop, &QToolButton::clicked, this, &EventInspector::cancelLookup);
    bar->addWidget(m_lookupStop);
    m_lookupStatus = new ElidedLabel(this); // long messages (a file path) must not widen the dock
    m_lookupStatus->setObjectName(QStringLiteral("lookupStatus"));
    bar->addWidget(m_lookupStatus, 1);
    layout->addLayout(bar);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("payloadMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("inspectorTabs"));
    m_tabs->setDocumentMode(true);
    // The pages scroll: a few lines of them are enough, so the window fits 1280×800 with every pane.
    m_tabs->setMinimumHeight(72);
    // The decoder sits by the views it decodes for (and keeps the button row narrow).
    m_tabs->setCornerWidget(m_chooser, Qt::TopRightCorner);
    m_tree = new JsonTreeWidget(m_tabs);
    m_tree->setObjectName(QStringLiteral("jsonTree"));
    m_text = monospaceView(m_tabs, QStringLiteral("jsonText"));
    m_highlighter = new JsonHighlighter(m_text->document());
    m_hex = monospaceView(m_tabs, QStringLiteral("hexView"));
    m_metadata = new MetadataView(m_tabs);
    m_metadata->setObjectName(QStringLiteral("metadataView"));
    m_chain = new CorrelationChainView(m_tabs);
    m_tabs->addTab(m_tree, tr("Tree"));
    m_tabs->addTab(m_text, tr("Text"));
    m_tabs->addTab(m_hex, tr("Hex"));
    m_tabs->addTab(m_metadata, tr("Metadata"));
    m_tabs->addTab(m_chain, tr("Correlation"));
    layout->addWidget(m_tabs, 1);
    connect(m_chain, &CorrelationChainView::eventActivated, this, &EventInspector::navigateTo);

    connect(session->cursor(), &TimeCursor::positionChanged, this, &EventInspector::onPosition);
    connect(session, &TimelineSession::reset, this, [this](const QByteArray &stream) {
        m_lookup.cancel();
        m_chain->cancel();
        clearView(stream.isEmpty() ? tr("No event selected.") : tr("Loading %1…").arg(QString::fromUtf8(stream)));
    });
    connect(m_chooser, &DecoderChooser::statusChanged, m_lookupStatus, &QLabel::setText);
    m_chooser->restore();
    applyPalette();
    clearView(tr("No event selected."));
    if (session->cursor()->position() >= 0)
        onPosition(session->cursor()->position());
}

EventInspector::~EventInspector() = default;

void EventInspector::buildHeader(QWidget *box)
{
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    for (const HeaderField &field : kFields) {
        auto *name = new QLabel(tr(field.label) + QLatin1Char(':'), box);
        name->setForegroundRole(QPalette::PlaceholderText);
        auto *value = new QLabel(box);
        value->setObjectName(QLatin1String("header_") + QLatin1String(field.id));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Long values must not make the dock wider: they are cut, the tooltip has them whole.
        value->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        const int col = field.pair == 1 ? 2 : 0;
        grid->addWidget(name, field.row, col);
        grid->addWidget(value, field.row, col + 1, 1, field.pair < 0 ? 3 : 1);
        m_header.insert(QLatin1String(field.id), value);
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
}

QString EventInspector::headerText(const QString &field) const
{
    const QLabel *l = m_header.value(field);
    return l ? l->text() : QString();
}

QString EventInspector::status() const { return m_lookupStatus->text(); }

QString EventInspector::message() const { return m_message->isVisible() || !m_message->text().isEmpty() ? m_message->text() : QString(); }

void EventInspector::setMessage(const QString &text, bool problem)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setStyleSheet(problem ? QStringLiteral("QLabel { color: palette(bright-text); background: #b3261e; "
                                                      "padding: 3px; border-radius: 3px; }")
                                     : QString());
}

void EventInspector::clearView(const QString &why)
{
    m_fetch.cancel();
    m_event.reset();
    m_ordinal = -1;
    m_view = PayloadView();
    for (QLabel *l : std::as_const(m_header))
        l->clear();
    m_tree->clear();
    m_text->clear();
    m_hex->clear();
    m_metadata->clear();
    m_chooser->followEvent({}, false);
    m_copy->setEnabled(false);
    m_causation->setEnabled(false);
    m_correlation->setEnabled(false);
    setMessage(why, false);
    Q_EMIT eventShown(-1);
}

void EventInspector::onPosition(qint64 position)
{
    const std::shared_ptr<engine::PayloadCache> cache = m_session->payloads();
    if (position < 0 || !cache) {
        clearView(tr("No event selected."));
        return;
    }
    if (position == m_ordinal && m_event)
        return;
    m_fetch.start([this, cache, position, id = m_decoderId](const JobTracker::Job &job) {
        const engine::FetchResult r = cache->events(quint64(position), 1);
        if (job.isCancelled())
            return;
        if (r.events.isEmpty()) {
            const QString error = r.error.isEmpty() ? tr("The event is no longer on the server.") : r.error;
            job.post([this, error]() { clearView(tr("Could not fetch the event: %1").arg(error)); });
            return;
        }
        const RecordedEvent event = r.events.first();
        const PayloadView view = m_decoders.decode(event.data, event.contentType, id, event.type);
        const QString pretty = prettyText(view);
        job.post([this, position, event, view, pretty]() { displayEvent(position, event, view, pretty); });
    });
}

QToolButton *EventInspector::addEventAction(QAction *action)
{
    auto *b = new QToolButton(this);
    b->setDefaultAction(action);
    m_bar->insertWidget(m_bar->indexOf(m_correlation) + 1, b);
    return b;
}

void EventInspector::setDecoder(const QString &id)
{
    m_decoderId = id;
    m_chooser->setCurrentDecoder(id);
    if (m_event)
        decodeAndShow(m_ordinal, *m_event);
}

void EventInspector::decodeAndShow(qint64 ordinal, const RecordedEvent &event)
{
    m_fetch.start([this, ordinal, event, id = m_decoderId](const JobTracker::Job &job) {
        const PayloadView view = m_decoders.decode(event.data, event.contentType, id, event.type);
        const QString pretty = prettyText(view);
        job.post([this, ordinal, event, view, pretty]() { displayEvent(ordinal, event, view, pretty); });
    });
}

void EventInspector::displayEvent(qint64 ordinal, const RecordedEvent &e, const PayloadView &view,
                                  const QString &pretty)
{
    m_event = e;
    m_ordinal = ordinal;
    m_view = view;
    const QDateTime created = QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC);
    const QLocale locale;
    m_header[QStringLiteral("stream")]->setText(QString::fromUtf8(e.streamId));
    m_header[QStringLiteral("revision")]->setText(QString::number(e.revision));
    m_header[QStringLiteral("position")]->setText(QString::number(e.position.commit));
    m_header[QStringLiteral("type")]->setText(QString::fromUtf8(e.type));
    m_header[QStringLiteral("id")]->setText(e.id.toString(QUuid::WithoutBraces));
    m_header[QStringLiteral("contentType")]->setText(QString::fromUtf8(e.contentType));
    m_header[QStringLiteral("createdUtc")]->setText(created.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'")));
    m_header[QStringLiteral("createdLocal")]->setText(
        created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t")));
    m_header[QStringLiteral("size")]->setText(
        tr("%1 + %2 metadata").arg(locale.formattedDataSize(e.data.size()), locale.formattedDataSize(e.metadata.size())));

    for (QLabel *l : std::as_const(m_header))
        l->setToolTip(l->text());

    const bool json = view.kind == PayloadView::Kind::Json;
    m_tree->setJson(json ? view.json : QJsonValue(QJsonValue::Undefined), kMaxTreeNodes);
    // Highlighting runs over the whole document on the GUI thread: only for texts a reader reads.
    m_highlighter->setDocument(pretty.size() <= kMaxHighlightedChars ? m_text->document() : nullptr);
    m_text->setPlainText(pretty);
    m_hex->setPlainText(engine::PayloadDecoder::hexPreview(view.bytes.isNull() ? e.data : view.bytes, kMaxHexBytes));
    m_tabs->setTabEnabled(0, json);
    m_tabs->setTabEnabled(1, view.kind != PayloadView::Kind::Binary);
    if (view.kind == PayloadView::Kind::Binary)
        m_tabs->setCurrentWidget(m_hex);
    else if (!m_tabs->currentWidget()->isEnabled() || m_tabs->currentWidget() == m_hex)
        m_tabs->setCurrentWidget(json ? static_cast<QWidget *>(m_tree) : m_text);

    const bool declaredJson = engine::PayloadDecoder::isJsonContentType(e.contentType);
    QString note = view.message;
    if (view.kind == PayloadView::Kind::Binary && note.isEmpty())
        note = e.data.isEmpty() ? tr("Empty payload.") : tr("Binary payload (%1): shown as hex.").arg(locale.formattedDataSize(e.data.size()));
    setMessage(note, view.kind == PayloadView::Kind::Binary && declaredJson);
    m_metadata->setMetadata(e.metadata);
    const QString protobuf = m_protobuf->id();
    m_chooser->followEvent(e.type, m_decoderId == protobuf || view.decoder == protobuf);
    const bool hasCause = !EventLookup::metadataString(e.metadata, QLatin1String("$causationId")).isEmpty();
    const bool hasCorrelation = !EventLookup::metadataString(e.metadata, QLatin1String("$correlationId")).isEmpty();
    m_copy->setEnabled(true);
    m_causation->setEnabled(hasCause && m_session->client());
    m_correlation->setEnabled(hasCorrelation && m_session->client());
    Q_EMIT eventShown(ordinal);
}

void EventInspector::copyAsJson()
{
    if (m_event)
        QApplication::clipboard()->setText(QString::fromUtf8(EventJson::toText(*m_event, m_view)));
}

void EventInspector::cancelLookup()
{
    m_lookup.cancel();
    m_lookupProgress->hide();
    m_lookupStop->hide();
    m_lookupStatus->setText(tr("Stopped."));
    Q_EMIT causationFinished(false, m_lookupStatus->text());
}

void EventInspector::goToCausation()
{
    if (!m_event || !m_session->client())
        return;
    const QString causation = EventLookup::metadataString(m_event->metadata, QLatin1String("$causationId"));
    const QUuid id = QUuid::fromString(causation);
    QString problem;
    if (causation.isEmpty())
        problem = tr("This event has no $causationId.");
    else if (id.isNull())
        problem = tr("$causationId “%1” is not an event id.").arg(causation);
    else if (id == m_event->id)
        problem = tr("This event is its own cause.");
    if (!problem.isEmpty()) {
        m_lookupStatus->setText(problem);
        Q_EMIT causationFinished(false, problem);
        return;
    }
    m_lookupProgress->show();
    m_lookupStop->show();
    m_lookupStatus->setText(tr("Looking for the cause in %1…").arg(QString::fromUtf8(m_event->streamId)));
    m_lookup.start([this, client = m_session->client(), stream = m_event->streamId, id](const JobTracker::Job &job) {
        const EventLookup::Found f = EventLookup::findById(
            *client, stream, id, kMaxCausationScan, job.cancellation(), [&job, this](quint64 scanned) {
                job.post([this, scanned]() { m_lookupStatus->setText(tr("Looking for the cause: %1 events looked at…").arg(scanned)); });
                return !job.isCancelled();
            });
        job.post([this, f, id]() {
            m_lookupProgress->hide();
            m_lookupStop->hide();
            QString text;
            if (f.event)
                text = tr("Cause: %1 @ %2 (%3)").arg(QString::fromUtf8(f.event->streamId)).arg(f.event->revision).arg(QString::fromUtf8(f.event->type));
            else if (!f.error.isEmpty())
                text = tr("Could not look for the cause: %1").arg(f.error);
            else
                text = tr("No event with id %1 in the stream or in the last %2 events of $all%3.")
                           .arg(id.toString(QUuid::WithoutBraces)).arg(f.scanned)
                           .arg(f.limitReached ? tr(" (limit reached)") : QString());
            m_lookupStatus->setText(text);
            Q_EMIT causationFinished(f.event.has_value(), text);
            if (f.event)
                navigateTo(f.event->streamId, qint64(f.event->revision));
        });
    });
}

void EventInspector::showCorrelationChain()
{
    if (!m_event)
        return;
    m_tabs->setCurrentWidget(m_chain);
    m_chain->start(m_session->client(), EventLookup::metadataString(m_event->metadata, QLatin1String("$correlationId")),
                   m_event->id);
}

void EventInspector::navigateTo(const QByteArray &stream, qint64 revision)
{
    if (revision >= 0) {
        const std::optional<quint64> ordinal = m_session->index().findRevision(stream, quint64(revision));
        if (ordinal) {
            m_session->cursor()->setPosition(qint64(*ordinal));
            return;
        }
    }
    Q_EMIT openStreamRequested(stream, revision);
}

void EventInspector::applyPalette()
{
    m_highlighter->setDarkPalette(palette().color(QPalette::Base).lightness() < 128);
}

void EventInspector::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(e);
}

} // namespace chronoscope::views
