#include "state/CheckpointProgress.h"

#include "fold/FoldController.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>

#include <algorithm>

namespace chronoscope {

CheckpointProgress::CheckpointProgress(FoldController *controller, TimelineSession *session, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_session(session)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_button(new QToolButton(this))
{
    setObjectName(QStringLiteral("checkpointProgress"));
    m_bar->setObjectName(QStringLiteral("foldProgress"));
    m_bar->setMaximumWidth(140);
    m_bar->setRange(0, 1000);
    m_bar->setFormat(QStringLiteral("%p%"));
    m_button->setObjectName(QStringLiteral("checkpointButton"));
    m_button->setAutoRaise(true);
    m_label->setToolTip(tr("Checkpoints keep scrubbing fast: the state at any event is folded from the nearest one"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_bar);
    layout->addWidget(m_button);
    hide();

    // One button: Stop while building; Resume (Retry after an error) when stopped short of the end.
    connect(m_button, &QToolButton::clicked, controller, [controller] {
        if (controller->isBuilding())
            controller->cancelBuild();
        else
            controller->rebuild();
    });
    connect(controller, &FoldController::buildingChanged, this, [this](bool building) {
        if (!building)
            return; // buildFinished() says how it ended
        m_label->setText(tr("Building checkpoints…"));
        m_button->setText(tr("Stop"));
        m_button->setToolTip(tr("Stop building checkpoints (scrubbing still works, more slowly)"));
        show();
    });
    connect(controller, &FoldController::buildProgress, this, [this](quint64 done, quint64 total) {
        // A build runs to the size the timeline had when it started, and goes on as it grows: the
        // goal is the whole timeline.
        total = std::max(total, m_session->index().size());
        m_bar->setValue(total ? int(done * 1000 / total) : 0);
        const QLocale locale;
        m_label->setText(tr("Building checkpoints: %1 of %2 events").arg(locale.toString(done), locale.toString(total)));
    });
    connect(controller, &FoldController::buildFinished, this, [this](quint64 builtTo, const QString &error) {
        const quint64 total = m_session->index().size();
        if (builtTo >= total) {
            hide();
            return;
        }
        const QLocale locale;
        m_bar->setValue(total ? int(builtTo * 1000 / total) : 0);
        m_label->setText(error.isEmpty()
                             ? tr("Checkpoints cover %1 of %2 events").arg(locale.toString(builtTo), locale.toString(total))
                             : tr("Checkpoints stopped at %1 of %2 events: %3")
                                   .arg(locale.toString(builtTo), locale.toString(total), error));
        m_button->setText(error.isEmpty() ? tr("Resume") : tr("Retry"));
        m_button->setToolTip(tr("Build the rest of the checkpoints"));
        show();
    });
}

QString CheckpointProgress::text() const
{
    return isVisible() ? m_label->text() : QString();
}

} // namespace chronoscope
