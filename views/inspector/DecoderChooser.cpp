#include "inspector/DecoderChooser.h"

#include "payload/PayloadViewDecoder.h"
#include "payload/ProtobufDescriptorDecoder.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>

namespace chronoscope::views {

namespace {
/// The data of the list's last item, an action rather than a decoder.
const QString kLoadItem = QStringLiteral("load-descriptor-set");
const QString kProtobufId = QStringLiteral("protobuf");
} // namespace

DecoderChooser::DecoderChooser(const PayloadViewDecoders &decoders, ProtobufDescriptorDecoder *protobuf, QWidget *parent)
    : QWidget(parent), m_protobuf(protobuf)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_decoders = new QComboBox(this);
    m_decoders->setObjectName(QStringLiteral("decoderCombo"));
    // Sized for the decoders' short names: "Load Descriptor Set…" and "Protobuf (<file>)" must not
    // widen the dock (the list still shows them whole).
    m_decoders->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_decoders->setMinimumContentsLength(10);
    m_decoders->setToolTip(tr("Decode the payload as…"));
    m_decoders->addItem(tr("Auto-decode"), QString());
    for (const PayloadViewDecoder *d : decoders.decoders())
        if (d != protobuf) // listed once it has a set to decode with
            m_decoders->addItem(d->name(), d->id());
    m_decoders->insertSeparator(m_decoders->count());
    m_decoders->addItem(tr("Load Descriptor Set…"), kLoadItem);
    m_decoders->setItemData(m_decoders->count() - 1,
                            tr("Decode protobuf payloads with the output of "
                               "protoc --descriptor_set_out=FILE --include_imports"),
                            Qt::ToolTipRole);
    connect(m_decoders, &QComboBox::activated, this, [this](int i) {
        const QString id = m_decoders->itemData(i).toString();
        if (id == kLoadItem) {
            setCurrentDecoder(m_currentId); // the list keeps showing the decoder in use
            chooseDescriptorSet();
            return;
        }
        m_currentId = id;
        Q_EMIT decoderChosen(id);
    });

    m_messages = new QComboBox(this);
    m_messages->setObjectName(QStringLiteral("messageTypeCombo"));
    // Full message names are long: they must not widen the dock.
    m_messages->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_messages->setMinimumContentsLength(14);
    m_messages->hide();
    connect(m_messages, &QComboBox::activated, this, &DecoderChooser::chooseMessageType);

    layout->addWidget(m_decoders);
    layout->addWidget(m_messages);
}

QFileDialog *DecoderChooser::fileDialog() const { return m_dialog; }

void DecoderChooser::setCurrentDecoder(const QString &id)
{
    m_currentId = id;
    const int i = m_decoders->findData(id);
    if (i >= 0 && i != m_decoders->currentIndex())
        m_decoders->setCurrentIndex(i);
}

void DecoderChooser::followEvent(const QByteArray &eventType, bool protobufInvolved)
{
    m_eventType = eventType;
    const QString type = QString::fromUtf8(eventType);
    const int i = m_messages->findData(m_protobuf->typeMapping().value(type));
    m_messages->setCurrentIndex(i < 0 ? 0 : i);
    m_messages->setToolTip(tr("The protobuf message type of %1 events (remembered per event type)").arg(type));
    m_messages->setVisible(protobufInvolved && m_protobuf->isLoaded() && !eventType.isEmpty());
}

void DecoderChooser::chooseMessageType(int index)
{
    const QString type = QString::fromUtf8(m_eventType);
    if (type.isEmpty())
        return;
    QHash<QString, QString> mapping = m_protobuf->typeMapping();
    const QString message = m_messages->itemData(index).toString();
    if (message.isEmpty())
        mapping.remove(type);
    else
        mapping.insert(type, message);
    m_protobuf->setTypeMapping(mapping);
    QVariantMap stored;
    for (auto it = mapping.cbegin(); it != mapping.cend(); ++it)
        stored.insert(it.key(), it.value());
    QSettings().setValue(QLatin1String(kMessageTypesKey), stored);
    Q_EMIT messageTypeChosen();
}

void DecoderChooser::restore()
{
    const QSettings settings;
    QHash<QString, QString> mapping;
    const QVariantMap stored = settings.value(QLatin1String(kMessageTypesKey)).toMap();
    for (auto it = stored.cbegin(); it != stored.cend(); ++it)
        mapping.insert(it.key(), it.value().toString());
    m_protobuf->setTypeMapping(mapping);
    const QString path = settings.value(QLatin1String(kPathKey)).toString();
    if (!path.isEmpty())
        load(path, true);
}

bool DecoderChooser::loadDescriptorSet(const QString &path) { return load(path, false); }

bool DecoderChooser::load(const QString &path, bool quietOnSuccess)
{
    const QString error = m_protobuf->loadFile(path);
    if (!error.isEmpty()) {
        // The remembered path stays: the file may be back next time (a mounted drive, a rebuild).
        Q_EMIT statusChanged(tr("Protobuf: %1").arg(error));
        return false;
    }
    QSettings().setValue(QLatin1String(kPathKey), QFileInfo(path).absoluteFilePath());
    refreshProtobufItems();
    if (!quietOnSuccess)
        Q_EMIT statusChanged(tr("Loaded %1: %n message type(s).", nullptr, int(m_protobuf->messageTypes().size()))
                                 .arg(m_protobuf->sourceName()));
    Q_EMIT descriptorSetLoaded();
    return true;
}

void DecoderChooser::refreshProtobufItems()
{
    const int i = m_decoders->findData(kProtobufId);
    if (i >= 0)
        m_decoders->setItemText(i, m_protobuf->name());
    else // before the separator that precedes "Load Descriptor Set…"
        m_decoders->insertItem(m_decoders->findData(kLoadItem) - 1, m_protobuf->name(), kProtobufId);
    m_messages->clear();
    m_messages->addItem(tr("By event type"), QString());
    for (const QString &type : m_protobuf->messageTypes()) {
        // The name first, the package after: the combo is narrow and cuts at the right.
        const qsizetype dot = type.lastIndexOf(QLatin1Char('.'));
        m_messages->addItem(dot < 0 ? type : tr("%1 (%2)").arg(type.mid(dot + 1), type.left(dot)), type);
        m_messages->setItemData(m_messages->count() - 1, type, Qt::ToolTipRole);
    }
    setCurrentDecoder(m_currentId);
}

void DecoderChooser::chooseDescriptorSet()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    const QString remembered = QSettings().value(QLatin1String(kPathKey)).toString();
    m_dialog = new QFileDialog(window(), tr("Load Descriptor Set"),
                               remembered.isEmpty() ? QString() : QFileInfo(remembered).absolutePath(),
                               tr("Descriptor sets (*.desc *.pb *.protoset *.binpb);;All files (*)"));
    m_dialog->setObjectName(QStringLiteral("descriptorSetDialog"));
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog->setFileMode(QFileDialog::ExistingFile);
    // Non-modal: the inspector keeps working while the user looks for the file.
    m_dialog->setWindowModality(Qt::NonModal);
    connect(m_dialog, &QFileDialog::fileSelected, this, &DecoderChooser::loadDescriptorSet);
    m_dialog->show();
}

} // namespace chronoscope::views
