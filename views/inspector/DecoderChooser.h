#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QFileDialog;

namespace chronoscope {
class PayloadViewDecoders;
class ProtobufDescriptorDecoder;
}

namespace chronoscope::views {

/// The inspector's "Decode as" controls (F4): the decoders, with "Load Descriptor Set…" at the end
/// of the list for protobuf, and — while a protobuf view is involved — the message type of the
/// shown event's type. The descriptor set's path (not its contents) and the message types chosen
/// per event type are kept in QSettings and loaded again on start.
class DecoderChooser : public QWidget
{
    Q_OBJECT
public:
    /// `decoders` fills the list; `protobuf` (one of them) is listed once a set is loaded.
    DecoderChooser(const PayloadViewDecoders &decoders, ProtobufDescriptorDecoder *protobuf, QWidget *parent = nullptr);

    QComboBox *decoderCombo() const { return m_decoders; }
    QComboBox *messageCombo() const { return m_messages; }
    /// The open "Load Descriptor Set…" dialog, if any.
    QFileDialog *fileDialog() const;

    /// Shows `id` as the chosen decoder ("" = automatic) without emitting decoderChosen().
    void setCurrentDecoder(const QString &id);
    /// Follows the shown event: the message combo shows its type's choice, and is visible while
    /// `protobufInvolved` (the protobuf decoder was chosen or produced the view).
    void followEvent(const QByteArray &eventType, bool protobufInvolved);

    /// Loads the descriptor set remembered in QSettings, if any. Errors go to statusChanged().
    void restore();
    /// Loads a descriptor set and remembers its path; false, with statusChanged(), when it fails.
    bool loadDescriptorSet(const QString &path);
    /// Opens the non-modal file dialog ("Load Descriptor Set…"); the file chosen is loaded.
    void chooseDescriptorSet();

    static constexpr const char *kPathKey = "inspector/protobufDescriptorSet";
    static constexpr const char *kMessageTypesKey = "inspector/protobufMessageTypes";

Q_SIGNALS:
    void decoderChosen(const QString &id);
    /// The message type of the shown event's type changed: decode again.
    void messageTypeChosen();
    /// A load's outcome, for the inspector's status line (once per load, never per event).
    void statusChanged(const QString &text);
    /// A descriptor set was loaded (its types may now decode): decode again.
    void descriptorSetLoaded();

private:
    bool load(const QString &path, bool quietOnSuccess);
    void refreshProtobufItems();
    void chooseMessageType(int index);

    ProtobufDescriptorDecoder *m_protobuf;
    QComboBox *m_decoders;
    QComboBox *m_messages;
    QPointer<QFileDialog> m_dialog;
    QByteArray m_eventType;
    QString m_currentId;
};

} // namespace chronoscope::views
