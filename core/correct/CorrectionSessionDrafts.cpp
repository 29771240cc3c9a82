// CorrectionSession's drafts: autosave (debounced, in a save thread of its own, in order), removal
// once appended or discarded, and the listing offered back after a crash or a restart.
#include "correct/CorrectionSession.h"

namespace chronoscope {

void CorrectionSession::draftEdited(const EventDraft &draft)
{
    if (!m_drafts || m_finished.contains(draft.draftId))
        return;
    if (m_pendingSave && m_pendingSave->draftId != draft.draftId)
        flushDraft(); // another draft's edit is not lost to this one
    m_pendingSave = draft;
    m_autosave.start();
}

void CorrectionSession::flushDraft()
{
    m_autosave.stop();
    if (!m_pendingSave)
        return;
    const EventDraft draft = *std::exchange(m_pendingSave, std::nullopt);
    saveInBackground(draft);
}

void CorrectionSession::saveInBackground(const EventDraft &draft)
{
    const DraftStore *store = m_drafts;
    QPointer<CorrectionSession> self(this);
    m_savePool.start([store, draft, self] {
        const QString error = store->save(draft);
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, id = draft.draftId, error] {
                    if (self)
                        Q_EMIT self->draftSaved(id, error);
                },
                Qt::QueuedConnection);
    });
}

void CorrectionSession::discardDraft(const QUuid &draftId)
{
    if (!m_drafts)
        return;
    if (m_pendingSave && m_pendingSave->draftId == draftId) {
        m_pendingSave.reset();
        m_autosave.stop();
    }
    m_finished.insert(draftId);
    const DraftStore *store = m_drafts;
    m_savePool.start([store, draftId] { store->remove(draftId); });
}

void CorrectionSession::listDrafts()
{
    if (!m_drafts)
        return;
    const DraftStore *store = m_drafts;
    QPointer<CorrectionSession> self(this);
    m_savePool.start([store, self] {
        const DraftStore::Listing listing = store->loadAll();
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, listing] {
                    if (self)
                        Q_EMIT self->draftsListed(listing);
                },
                Qt::QueuedConnection);
    });
}

} // namespace chronoscope
