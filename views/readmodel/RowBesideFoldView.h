#pragma once

#include "base/JobTracker.h"
#include "json/JsonDiff.h"
#include "readmodel/ReadModelMapping.h"
#include "readmodel/RowBesideFold.h"

#include <QList>
#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace chronoscope {

class FoldController;

struct CursorState;

namespace readmodel {
class EndpointDirectory;
}

namespace views {
class JsonTreeWidget;

/// The read-model row beside the fold (issue 14 item 3, PRODUCT.md F7): for the loaded stream, when its
/// category has a mapping in the reducer file, the row is read in a worker and shown next to the state at
/// the cursor (both cut to the mapping), with the paths where they differ and, for each, the last revision
/// where the fold still had the row's value; above them since which event the fold and the row disagree
/// (RowAgreement), with a button that puts the cursor there. The fold at the head vs the row, or the state at
/// the cursor vs the row, goes to the diff pane through diffReady().
class RowBesideFoldView : public QWidget
{
    Q_OBJECT
public:
    RowBesideFoldView(FoldController *fold, readmodel::EndpointDirectory *endpoints, QWidget *parent = nullptr);

    enum class Compare { HeadVsRow, CursorVsRow };
    void setCompare(Compare compare);

    /// Reads the row again (the loaded stream, the mapping chosen).
    void refresh();
    /// The last answer (for tests); none before the first.
    const std::optional<readmodel::RowBesideFold> &result() const { return m_result; }
    bool isBusy() const { return m_busy; }
    /// The revision since which they disagree (none: equal, never equal, nothing read).
    std::optional<quint64> sinceRevision() const;
    QString statusText() const;
    QString sinceText() const;
    QTableWidget *pathsTable() const { return m_paths; }
    QPushButton *jumpButton() const { return m_jump; }
    QComboBox *mappingBox() const { return m_mappingBox; }
    /// The cursor whose state the fold side shows (-1: before the first event), cut to the mapping.
    qint64 cursorOrdinal() const { return m_cursorOrdinal; }
    const QJsonObject &cursorShape() const { return m_cursorShape; }
    /// For tests: called on the worker thread before it cuts a cursor's state and diffs it (the cursor's
    /// ordinal; -2 for an update without a new cursor), e.g. to hold one back and see the order kept.
    void setWorkHookForTests(std::function<void(qint64 ordinal)> hook) { m_workHook = std::move(hook); }

Q_SIGNALS:
    /// For the diff pane: `before` is the fold (at the head or the cursor), `after` the row.
    void diffReady(const chronoscope::engine::DiffResult &diff, const QString &title, const QString &beforeLabel,
                   const QString &afterLabel, const QString &message);
    /// Put the cursor on `revision` of `stream` (the "since" event).
    void jumpRequested(const QByteArray &stream, qint64 revision);
    /// An answer arrived (or a failure was shown).
    void updated();

private:
    void reloadMappings();
    void start();
    void show(const readmodel::RowBesideFold &r);
    void showMessage(const QString &message);
    void cursorMoved(const CursorState &state);
    void fillPaths();
    /// Cuts the cursor's state waiting to be shown (if any) and diffs for the diff pane (if `emitDiff`) in a
    /// worker; the latest request wins, so an older cursor's answer never replaces a newer one.
    void startUpdate(bool emitDiff);
    QString revisionText(quint64 count) const;

    FoldController *m_fold;
    readmodel::EndpointDirectory *m_endpoints;
    JobTracker m_job{this};
    JobTracker m_diffJob{this}; ///< the cursor's shape and the diff, off the GUI thread
    std::function<void(qint64)> m_workHook;
    struct WantedCursor
    {
        QJsonValue state;
        qint64 ordinal = -1;
    };
    std::optional<WantedCursor> m_wantedCursor;    ///< the newest cursor whose shape is not shown yet
    bool m_diffWanted = false;                     ///< a diff for the diff pane is asked for and not sent yet
    QList<readmodel::ReadModelMapping> m_mappings; ///< of the loaded stream's category
    QString m_mappingError;                        ///< the reducer file's mappings do not load
    std::optional<readmodel::RowBesideFold> m_result;
    QByteArray m_stream; ///< the stream m_result is about
    QJsonObject m_cursorShape;
    qint64 m_cursorOrdinal = -1;
    bool m_busy = false;
    Compare m_compare = Compare::HeadVsRow;
    quint64 m_request = 0;

    QLabel *m_status;
    QComboBox *m_mappingBox;
    QComboBox *m_compareBox;
    QPushButton *m_refresh;
    QLabel *m_since;
    QPushButton *m_jump;
    QTableWidget *m_paths;
    JsonTreeWidget *m_foldTree;
    JsonTreeWidget *m_rowTree;
    QLabel *m_foldTitle;
    QLabel *m_rowTitle;
};

} // namespace views
} // namespace chronoscope
