#include "common/DiffColors.h"

namespace chronoscope {

bool DiffColors::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

static QColor mix(const QColor &base, const QColor &tint, double amount)
{
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + tint.redF() * amount),
                            float(base.greenF() * (1 - amount) + tint.greenF() * amount),
                            float(base.blueF() * (1 - amount) + tint.blueF() * amount));
}

DiffColors DiffColors::forPalette(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const double amount = isDark(palette) ? 0.38 : 0.22;
    DiffColors c;
    c.added = mix(base, QColor(0x2e, 0xa0, 0x43), amount);
    c.removed = mix(base, QColor(0xd7, 0x3a, 0x49), amount);
    c.changed = mix(base, QColor(0xd9, 0x96, 0x0b), amount);
    c.moved = mix(base, QColor(0x3b, 0x82, 0xf6), amount);
    return c;
}

} // namespace chronoscope
