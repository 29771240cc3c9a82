#include "archive/ArchiveBanner.h"

#include "archive/ArchiveReader.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {
// Fixed fills that read on light and dark palettes alike, white text on both (contrast > 5:1).
const QColor kVerifiedBlue(0x1d, 0x4e, 0x89);
const QColor kDamagedAmber(0x92, 0x40, 0x0e);

QLabel *bannerLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed); // long lines elide, never grow the bar
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString shortKey(const QString &fingerprint)
{
    return fingerprint.size() > 16 ? fingerprint.left(8) + QStringLiteral("…") + fingerprint.right(8) : fingerprint;
}
} // namespace

ArchiveBanner::ArchiveBanner(QWidget *parent)
    : QFrame(parent)
    , m_title(bannerLabel(QStringLiteral("archiveBannerTitle"), this))
    , m_origin(bannerLabel(QStringLiteral("archiveBannerOrigin"), this))
    , m_check(bannerLabel(QStringLiteral("archiveBannerCheck"), this))
{
    setObjectName(QStringLiteral("archiveBanner"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed); // fills the toolbar it sits in, three lines high
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 4, 10, 4);
    layout->setSpacing(1);
    layout->addWidget(m_title);
    layout->addWidget(m_origin);
    layout->addWidget(m_check);
    setVisible(false);
}

QString ArchiveBanner::origin(const archive::ArchiveReader &reader)
{
    const QJsonObject manifest = reader.manifest();
    const QJsonObject source = manifest.value(QStringLiteral("source")).toObject();
    const QString stream = source.value(QStringLiteral("stream")).toString();
    const QString selection = source.value(QStringLiteral("selection")).toString();
    const QString connection = source.value(QStringLiteral("connection")).toString();
    const QDateTime created = QDateTime::fromString(manifest.value(QStringLiteral("createdAt")).toString(),
                                                    Qt::ISODateWithMs);
    QString text = stream.isEmpty() ? tr("Exported") : tr("Exported %1").arg(stream);
    if (!selection.isEmpty())
        text += QStringLiteral(" (%1)").arg(selection);
    text += connection.isEmpty() ? tr(" from an unnamed server") : tr(" from %1").arg(connection);
    if (created.isValid())
        text += tr(", %1 UTC").arg(created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    const QString by = manifest.value(QStringLiteral("createdBy")).toString();
    if (!by.isEmpty())
        text += tr(", by %1").arg(by);
    return text;
}

QString ArchiveBanner::verification(const archive::ArchiveReader &reader, quint64 openedEvents)
{
    const QLocale locale;
    QStringList parts;
    if (!reader.verified()) // opened by its index: the whole check runs in a worker
        return tr("⧗ Checking every chunk's SHA-256, the file's and the signature… (each chunk is checked "
                  "before its events are shown)");
    if (reader.damage().isEmpty() && reader.hashVerified()) {
        // The events chunks with the manifest, the index and the footer.
        parts << tr("✔ All %1 chunk hashes and the file's SHA-256 verified").arg(reader.eventChunks().size() + 3);
    } else {
        QStringList where;
        for (const archive::ArchiveDamage &d : reader.damage())
            where << d.describe();
        parts << tr("✖ Damaged: %1")
                     .arg(where.isEmpty() ? tr("the file's SHA-256 does not match its footer")
                                          : where.join(QStringLiteral("; ")));
        parts << tr("%1 of %2 events open (those before the damage)")
                     .arg(locale.toString(openedEvents),
                          reader.declaredEventCount() ? locale.toString(reader.declaredEventCount()) : tr("?"));
    }
    if (!reader.isSigned())
        parts << tr("unsigned");
    else if (reader.signatureVerified())
        parts << tr("signed, signature verified, key %1").arg(shortKey(reader.signerFingerprint()));
    else
        parts << tr("signed by key %1, but the signature does NOT verify").arg(shortKey(reader.signerFingerprint()));
    return parts.join(QStringLiteral(" · "));
}

void ArchiveBanner::showArchive(const archive::ArchiveReader &reader, quint64 openedEvents)
{
    m_damaged = reader.verified() && !reader.intact();
    // A style sheet on the frame itself: inside MainWindow's toolbar a palette fill does not show.
    setStyleSheet(QStringLiteral("QFrame#archiveBanner { background: %1; border-radius: 3px; } "
                                 "QLabel { color: #ffffff; background: transparent; }")
                      .arg((m_damaged ? kDamagedAmber : kVerifiedBlue).name()));
    m_title->setText(tr("Archive %1 — offline, read-only — %2 events")
                         .arg(QFileInfo(reader.path()).fileName(), QLocale().toString(openedEvents)));
    m_origin->setText(origin(reader));
    m_check->setText(verification(reader, openedEvents));
    // All of it, as lines too long for the bar are cut: the path, every damage, the whole key.
    QString tip = reader.path() + QLatin1Char('\n') + text();
    if (reader.isSigned())
        tip += tr("\nSigner's key (SHA-256 fingerprint): %1").arg(reader.signerFingerprint());
    setToolTip(tip);
    setVisible(true);
}

void ArchiveBanner::clear()
{
    m_damaged = false;
    for (QLabel *label : {m_title, m_origin, m_check})
        label->clear();
    setVisible(false);
}

QString ArchiveBanner::text() const
{
    return QStringList{m_title->text(), m_origin->text(), m_check->text()}.join(QLatin1Char('\n'));
}

} // namespace chronoscope::views
