#pragma once

#include <QFrame>

class QLabel;

namespace chronoscope::archive {
class ArchiveReader;
}

namespace chronoscope::views {

/// The bar that says the window shows an archive, offline (issue 15): its file name, where it was
/// exported from and when (the manifest's redacted connection, stream and selection), whether every
/// chunk's SHA-256 and the file's verified, and whether it is signed, with the signature checked and
/// the signer's key fingerprint. A damaged archive names each damaged chunk with its offset and how
/// much of it opened. Blue when everything verified, amber when anything did not.
class ArchiveBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ArchiveBanner(QWidget *parent = nullptr);

    /// Shows `reader`'s archive; `openedEvents` is how many events the timeline holds.
    void showArchive(const archive::ArchiveReader &reader, quint64 openedEvents);
    void clear();

    bool isDamaged() const { return m_damaged; }
    /// All it says, line by line (tests and the tooltip).
    QString text() const;

    /// "order-7 (every event) from esdb://host:2113, 2026-12-07 02:30 UTC, by Chronoscope 0.9".
    static QString origin(const archive::ArchiveReader &reader);
    /// "✔ 4 chunks and the file's SHA-256 verified · signed, signature verified, key 3fa2…" or the damage.
    static QString verification(const archive::ArchiveReader &reader, quint64 openedEvents);

private:
    QLabel *m_title;
    QLabel *m_origin;
    QLabel *m_check;
    bool m_damaged = false;
};

} // namespace chronoscope::views
