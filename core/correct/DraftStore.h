#pragma once

#include "correct/EventDraft.h"

#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace chronoscope {

/// The drafts of corrective events on disk, one file per draft (`<draftId>.json`), so that nothing
/// typed is lost: the composer autosaves, and after a crash or a restart loadAll() offers every
/// draft back.
///
/// - A save replaces the file atomically and durably (durable::replaceFile): after a crash at any
///   moment the file is the previous complete version or the new one, never a torn mix.
/// - A file that cannot be read back as a draft is never deleted: it is moved into `damaged/`
///   beside the drafts and reported with why, so the user (or support) can still open it.
/// - Saving never touches the draft's event id; the store refuses a draft that has none, and one
///   whose expected revision is not pinned (so a saved draft never carries "any").
class DraftStore
{
public:
    /// `directory` empty: defaultDirectory(). Created (owner-only) on the first save.
    explicit DraftStore(const QString &directory = {});

    /// `<AppDataLocation>/drafts`.
    static QString defaultDirectory();
    QString directory() const { return m_directory; }
    /// Where damaged files are moved: `<directory>/damaged`.
    QString damagedDirectory() const;
    QString fileFor(const QUuid &draftId) const;

    /// Writes the draft. Returns an error message, empty on success (the draft is then on disk).
    QString save(const EventDraft &draft) const;

    struct Damaged
    {
        QString file;    ///< where it was
        QString error;   ///< why it could not be read
        QString movedTo; ///< where it is now; empty when moving it failed (then it stayed put)
    };
    struct Loaded
    {
        std::optional<EventDraft> draft;
        QString error;                  ///< no such draft, or why it is damaged
        std::optional<Damaged> damaged; ///< set when the file was damaged (and moved aside)
    };
    Loaded load(const QUuid &draftId) const;

    struct Listing
    {
        QList<EventDraft> drafts; ///< newest edit first
        QList<Damaged> damaged;   ///< files found damaged by this call, each moved aside
        QString error;            ///< the folder could not be read
    };
    /// Every draft in the folder: what is offered back after a crash or restart. A missing folder
    /// is an empty listing. Unfinished temporary files of an interrupted save are not drafts.
    Listing loadAll() const;

    /// Deletes a draft (appended, or discarded by the user). A missing draft is not an error.
    QString remove(const QUuid &draftId) const;

private:
    Loaded loadFile(const QString &path) const;
    Damaged moveAside(const QString &path, const QString &error) const;

    QString m_directory;
};

} // namespace chronoscope
