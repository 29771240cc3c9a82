#pragma once

#include <QColor>
#include <QPalette>

namespace chronoscope {

/// Added / removed / changed backgrounds that read well on the palette's base colour: a tint of
/// green, red or amber mixed into the base, stronger on dark palettes (where a light tint would glare).
struct DiffColors
{
    QColor added, removed, changed, moved;
    static DiffColors forPalette(const QPalette &palette);
    static bool isDark(const QPalette &palette);
};

} // namespace chronoscope
