#include "ui/scalars/run_colors.h"

#include <cstdint>
#include <cstdlib>

namespace scopeviz::ui {
namespace {

constexpr int Hues = 10;

int hueOf(int index) { return ((index % RunPaletteSize) + RunPaletteSize) % RunPaletteSize % Hues; }

} // namespace

QColor runColor(int index)
{
    // Ten categorical hues (Tableau's), then a lighter and a darker shade of each.
    static const QColor base[Hues] = {QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),
                                      QColor(214, 39, 40),   QColor(148, 103, 189), QColor(140, 86, 75),
                                      QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                                      QColor(23, 190, 207)};
    const int i = ((index % RunPaletteSize) + RunPaletteSize) % RunPaletteSize;
    const QColor& c = base[i % Hues];
    switch (i / Hues) {
    case 1: {
        // The lighter shade, unless that washes out on a white chart (olive, cyan, orange, pink and grey
        // would turn pastel): then a slightly darker one, still apart from the dark shade below.
        const QColor light = c.lighter(135);
        const double luma = 0.299 * light.redF() + 0.587 * light.greenF() + 0.114 * light.blueF();
        return luma > 0.66 ? c.darker(118) : light;
    }
    case 2: return c.darker(150);
    default: return c;
    }
}

bool runColorsDistinct(int a, int b)
{
    const int d = std::abs(hueOf(a) - hueOf(b));
    return std::min(d, Hues - d) >= 2;
}

int runColorIndex(std::string_view name, int above)
{
    uint64_t h = 1469598103934665603ull; // FNV-1a 64
    for (const char c : name) {
        h ^= uint8_t(c);
        h *= 1099511628211ull;
    }
    const int start = int(h % RunPaletteSize);
    if (above < 0)
        return start;
    // Probe with a step coprime to the palette size: every colour is tried once.
    for (int k = 0; k < RunPaletteSize; ++k) {
        const int candidate = (start + k * 7) % RunPaletteSize;
        if (runColorsDistinct(candidate, above))
            return candidate;
    }
    return start;
}

} // namespace scopeviz::ui
