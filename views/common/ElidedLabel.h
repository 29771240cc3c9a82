#pragma once

#include <QLabel>

namespace chronoscope::views {

/// A one-line plain-text label that never widens its pane: when the text does not fit it is cut
/// with "…" at the end and shown whole in the tooltip. text() is the whole text.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace chronoscope::views
