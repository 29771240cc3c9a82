#include "correct/DraftStore.h"

#include "correct/DurableFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

namespace chronoscope {

namespace {

const QLatin1String kSuffix(".json");

/// Draft files are named by their draft id; anything else in the folder (QSaveFile's temporaries
/// `<id>.json.XXXXXX`, notes someone left) is not a draft.
bool isDraftFileName(const QString &name)
{
    return name.endsWith(kSuffix) && !QUuid::fromString(name.chopped(kSuffix.size())).isNull();
}

} // namespace

DraftStore::DraftStore(const QString &directory) : m_directory(directory.isEmpty() ? defaultDirectory() : directory) {}

QString DraftStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/drafts");
}

QString DraftStore::damagedDirectory() const
{
    return m_directory + QStringLiteral("/damaged");
}

QString DraftStore::fileFor(const QUuid &draftId) const
{
    return m_directory + QLatin1Char('/') + draftId.toString(QUuid::WithoutBraces) + kSuffix;
}

QString DraftStore::save(const EventDraft &draft) const
{
    if (draft.draftId.isNull() || draft.eventId.isNull())
        return QStringLiteral("the draft has no draft id or no event id: make drafts with EventDraft::create");
    if (draft.expected && !EventDraft::isPinned(*draft.expected))
        return QStringLiteral("a draft's expected revision must be a revision or no_stream, not \"%1\"")
            .arg(draft.expected->toString());
    if (const QString error = durable::makeDirectory(m_directory); !error.isEmpty())
        return error;
    return durable::replaceFile(fileFor(draft.draftId), draft.toJson());
}

DraftStore::Loaded DraftStore::load(const QUuid &draftId) const
{
    const QString path = fileFor(draftId);
    if (!QFileInfo::exists(path))
        return Loaded{std::nullopt, QStringLiteral("no draft %1").arg(draftId.toString(QUuid::WithoutBraces)), {}};
    return loadFile(path);
}

DraftStore::Loaded DraftStore::loadFile(const QString &path) const
{
    Loaded result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        // Unreadable is not damaged: permissions or I/O may recover, so the file stays where it is.
        result.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    ParsedEventDraft parsed = EventDraft::fromJson(file.readAll());
    file.close();
    const QString expectedName = QFileInfo(path).fileName();
    if (parsed.ok() && expectedName != QFileInfo(fileFor(parsed.draft.draftId)).fileName())
        parsed.error = QStringLiteral("the file name does not match the draft id inside (%1)")
                           .arg(parsed.draft.draftId.toString(QUuid::WithoutBraces));
    if (!parsed.ok()) {
        result.damaged = moveAside(path, parsed.error);
        result.error = result.damaged->movedTo.isEmpty()
            ? QStringLiteral("draft %1 is damaged (%2) and could not be moved aside").arg(path, parsed.error)
            : QStringLiteral("draft %1 is damaged (%2); it was moved to %3")
                  .arg(path, parsed.error, result.damaged->movedTo);
        return result;
    }
    result.draft = parsed.draft;
    return result;
}

DraftStore::Damaged DraftStore::moveAside(const QString &path, const QString &error) const
{
    Damaged d{path, error, {}};
    if (!durable::makeDirectory(damagedDirectory()).isEmpty())
        return d;
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmsszzz'Z'"));
    const QString base = damagedDirectory() + QLatin1Char('/') + QFileInfo(path).fileName() + QLatin1Char('.') + stamp;
    QString target = base;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = base + QLatin1Char('-') + QString::number(n);
    if (QFile::rename(path, target)) {
        durable::syncDirectory(damagedDirectory());
        durable::syncDirectory(m_directory);
        d.movedTo = target;
    }
    return d;
}

DraftStore::Listing DraftStore::loadAll() const
{
    Listing listing;
    const QDir dir(m_directory);
    if (!dir.exists())
        return listing;
    if (!QFileInfo(m_directory).isReadable()) {
        listing.error = QStringLiteral("cannot read the drafts folder %1").arg(m_directory);
        return listing;
    }
    const QStringList names = dir.entryList(QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &name : names) {
        if (!isDraftFileName(name))
            continue;
        Loaded loaded = loadFile(dir.filePath(name));
        if (loaded.draft)
            listing.drafts.append(*loaded.draft);
        else if (loaded.damaged)
            listing.damaged.append(*loaded.damaged);
        else if (listing.error.isEmpty())
            listing.error = loaded.error;
    }
    std::stable_sort(listing.drafts.begin(), listing.drafts.end(),
                     [](const EventDraft &a, const EventDraft &b) { return a.modified > b.modified; });
    return listing;
}

QString DraftStore::remove(const QUuid &draftId) const
{
    const QString path = fileFor(draftId);
    if (!QFileInfo::exists(path))
        return {};
    if (!QFile::remove(path))
        return QStringLiteral("cannot delete the draft %1").arg(path);
    durable::syncDirectory(m_directory);
    return {};
}

} // namespace chronoscope
