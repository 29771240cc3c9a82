#pragma once

#include "base/JobTracker.h"
#include "model/Types.h"
#include "payload/PayloadViewDecoder.h"

#include <QWidget>

#include <optional>

class QAction;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace chronoscope {
class ProtobufDescriptorDecoder;
class TimelineSession;
}

namespace chronoscope::views {

class CorrelationChainView;
class DecoderChooser;
class JsonHighlighter;
class JsonTreeWidget;
class MetadataView;

/// The event inspector (F4): follows the session's cursor and shows the event under it — header
/// (stream, revision, position, type, id, created UTC and local, content type, size), the payload
/// as a foldable JSON tree, highlighted text and hex, the metadata, and the correlation chain.
///
/// The event is fetched in a worker through `session->payloads()`. Decoders are chosen
/// automatically (JSON, UTF-8, base64, hex, and protobuf once a descriptor set is loaded) with a
/// manual override. Bad payloads get a clear message and the hex view. Navigation: "go to causation" and the correlation chain move the
/// cursor when the event is in the loaded timeline, else emit openStreamRequested().
class EventInspector : public QWidget
{
    Q_OBJECT
public:
    explicit EventInspector(TimelineSession *session, QWidget *parent = nullptr);
    ~EventInspector() override;

    /// The event shown (none before the first event or while fetching).
    const std::optional<RecordedEvent> &currentEvent() const { return m_event; }
    const PayloadView &payloadView() const { return m_view; }
    PayloadViewDecoders &decoders() { return m_decoders; }
    ProtobufDescriptorDecoder *protobufDecoder() const { return m_protobuf; }
    /// "Decode as", "Load Descriptor Set…" and the protobuf message type.
    DecoderChooser *decoderChooser() const { return m_chooser; }

    QTabWidget *tabs() const { return m_tabs; }
    /// "Go to Cause" and "Correlation Chain" (the window's Go menu clicks them).
    QToolButton *causationButton() const { return m_causation; }
    QToolButton *correlationButton() const { return m_correlation; }
    /// Adds a button for `action` beside "Correlation Chain" (an action on the event shown, e.g.
    /// "Correct Like This…"); it is enabled only while an event is shown and the action is.
    QToolButton *addEventAction(QAction *action);
    JsonTreeWidget *jsonTree() const { return m_tree; }
    QPlainTextEdit *textView() const { return m_text; }
    QPlainTextEdit *hexView() const { return m_hex; }
    MetadataView *metadataView() const { return m_metadata; }
    CorrelationChainView *correlationView() const { return m_chain; }
    /// The header's value label for `field` ("stream", "revision", "position", "type", "id",
    /// "createdUtc", "createdLocal", "contentType", "size").
    QString headerText(const QString &field) const;
    QString message() const;
    /// The line beside the buttons: lookups and descriptor set loads.
    QString status() const;

    /// Hex dumps stop after this many bytes (a line says how many were left out).
    static constexpr qsizetype kMaxHexBytes = 64 * 1024;
    /// JSON items shown in the tree at most.
    static constexpr int kMaxTreeNodes = 5000;
    /// Pretty JSON text shown at most (characters).
    static constexpr qsizetype kMaxPrettyChars = 256 * 1024;
    /// Longer texts are shown without colours.
    static constexpr qsizetype kMaxHighlightedChars = 128 * 1024;
    /// Events looked at in `$all` at most when looking for a causation event.
    static constexpr quint64 kMaxCausationScan = 500000;

public Q_SLOTS:
    /// Decoder by id ("json", "utf8", "base64", "hex", "protobuf"); empty = automatic.
    void setDecoder(const QString &id);
    void copyAsJson();
    void goToCausation();
    void showCorrelationChain();
    void cancelLookup();

Q_SIGNALS:
    /// Open `stream` and put the cursor on `revision` (an event outside the loaded timeline).
    void openStreamRequested(const QByteArray &stream, qint64 revision);
    /// An event was shown (after fetching), or the view was cleared (ordinal -1).
    void eventShown(qint64 ordinal);
    /// A causation lookup ended: `found` or not, with a message.
    void causationFinished(bool found, const QString &message);

private:
    void buildHeader(QWidget *box);
    void onPosition(qint64 position);
    void decodeAndShow(qint64 ordinal, const RecordedEvent &event);
    void displayEvent(qint64 ordinal, const RecordedEvent &event, const PayloadView &view, const QString &pretty);
    void clearView(const QString &why);
    void setMessage(const QString &text, bool problem);
    void navigateTo(const QByteArray &stream, qint64 revision);
    void applyPalette();
    void changeEvent(QEvent *e) override;

    TimelineSession *m_session;
    PayloadViewDecoders m_decoders;
    ProtobufDescriptorDecoder *m_protobuf; ///< one of m_decoders
    QString m_decoderId;
    std::optional<RecordedEvent> m_event;
    qint64 m_ordinal = -1;
    PayloadView m_view;

    QHash<QString, QLabel *> m_header;
    DecoderChooser *m_chooser;
    QToolButton *m_copy;
    QToolButton *m_causation;
    QToolButton *m_correlation;
    QHBoxLayout *m_bar = nullptr;
    QLabel *m_lookupStatus;
    QProgressBar *m_lookupProgress;
    QToolButton *m_lookupStop;
    QLabel *m_message;
    QTabWidget *m_tabs;
    JsonTreeWidget *m_tree;
    QPlainTextEdit *m_text;
    JsonHighlighter *m_highlighter;
    QPlainTextEdit *m_hex;
    MetadataView *m_metadata;
    CorrelationChainView *m_chain;
    JobTracker m_fetch{this};
    JobTracker m_lookup{this};
};

} // namespace chronoscope::views
