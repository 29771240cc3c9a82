#include "ComposerScript.h"

#include "CorrectionActions.h"
#include "MainWindow.h"
#include "client/StreamsClient.h"
#include "correct/AppendOutcomeView.h"
#include "correct/CorrectionComposer.h"
#include "timeline/TimelineIndex.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope {

namespace {
constexpr int kMaxTicks = 1200; // two minutes at 100 ms
}

bool ComposerScript::parse(const QString &name, Target *target)
{
    const std::pair<const char *, Target> table[] = {{"open", Target::Open},
                                                     {"refund", Target::Refund},
                                                     {"invalid", Target::Invalid},
                                                     {"dry-run", Target::DryRun},
                                                     {"conflict", Target::Conflict}};
    for (const auto &[n, t] : table)
        if (name == QLatin1String(n)) {
            *target = t;
            return true;
        }
    return false;
}

ComposerScript::ComposerScript(MainWindow *window, Target target, const QString &dataText)
    : QObject(window), m_window(window), m_target(target), m_dataText(dataText)
{
    connect(&m_poll, &QTimer::timeout, this, &ComposerScript::tick);
    m_poll.start(100);
}

void ComposerScript::finish()
{
    CorrectionComposer *composer = m_window->corrections()->composer();
    if (!m_dataText.isEmpty())
        composer->setDataText(m_dataText);
    m_step = Step::Done;
    m_poll.stop();
    Q_EMIT done();
}

void ComposerScript::tick()
{
    if (++m_ticks > kMaxTicks) {
        m_poll.stop();
        Q_EMIT failed(tr("the composer did not reach its state in time"));
        return;
    }
    CorrectionActions *corrections = m_window->corrections();
    CorrectionComposer *composer = corrections->composer();
    CorrectionSession *session = corrections->session();
    switch (m_step) {
    case Step::Landing: {
        // On the duplicate charge, folded with the demo's reducer file.
        TimelineSession *timeline = m_window->session();
        if (timeline->isLoading() || timeline->cursor()->position() < 0 || !timeline->cursor()->hasMarkers()
            || m_window->workspace()->fold()->reducerName() == QLatin1String("merge"))
            return;
        corrections->correctLikeCursor();
        m_step = Step::Opening;
        return;
    }
    case Step::Opening:
        if (!composer->hasDraft() || session->isLoading())
            return;
        if (m_target == Target::Open)
            return finish();
        m_step = Step::Template;
        return;
    case Step::Template: {
        const QList<CorrectionTemplate> &templates = composer->templates();
        auto it = std::find_if(templates.cbegin(), templates.cend(),
                               [](const CorrectionTemplate &t) { return t.suggested; });
        if (it == templates.cend())
            it = templates.cbegin();
        if (it != templates.cend())
            composer->applyTemplate(*it);
        if (m_target == Target::Invalid) {
            // A quote forgotten while typing: the line is marked, the message under the editor.
            QString data = composer->draft().data;
            const qsizetype at = data.indexOf(QLatin1String("\"currency\""));
            if (at >= 0)
                data.remove(at + 9, 1);
            else
                data.insert(data.lastIndexOf(QLatin1Char('}')), QLatin1Char(','));
            composer->setDataText(data);
            return finish();
        }
        if (m_target == Target::Refund)
            return finish();
        composer->runDryRun();
        m_step = Step::DryRun;
        return;
    }
    case Step::DryRun:
        if (!composer->dryRunIsCurrent())
            return;
        if (m_target == Target::DryRun)
            return finish();
        {
            // Someone else writes to the stream between the dry run and the append.
            m_window->workspace()->writeGuard()->unlock(QStringLiteral("screenshot of a conflict"));
            const QByteArray stream = composer->draft().stream.toUtf8();
            const QJsonObject note{{QStringLiteral("note"), QStringLiteral("appended by another client")}};
            m_window->client()->append(stream, ExpectedState::any(),
                                       {EventData::json("PaymentNoteAdded",
                                                        QJsonDocument(note).toJson(QJsonDocument::Compact))});
        }
        composer->append();
        m_step = Step::Append;
        return;
    case Step::Append:
        if (session->isWriting() || !composer->outcomeView()->isVisible())
            return;
        return finish();
    case Step::Done: return;
    }
}

} // namespace chronoscope
