#pragma once
// Run colours that hold up in a sweep of thousands of runs.
//
// A run's colour comes from a hash of its name (FNV-1a), so the same run has
// the same colour in every session and on every machine, whatever else the
// log directory holds. The palette has RunPaletteSize colours: ten hues, each
// in a saturated, a light and a dark shade. Two runs next to each other in the
// run list never share a hue or take neighbouring hues (at least 72 degrees
// apart): when the hash would give a run a hue close to the run above it, the
// next colour in a fixed probe order that is far enough is taken instead, so a
// run's colour depends only on its name and on its upper neighbour's colour,
// which the list (append-only, in order of appearance) never changes.
#include <QColor>

#include <string_view>

namespace scopeviz::ui {

/// Number of colours in the run palette.
constexpr int RunPaletteSize = 30;

/// Colour `index` (modulo RunPaletteSize) of the run palette.
QColor runColor(int index);

/// Palette index of a run named `name` listed right below a run of palette index `above` (-1: none).
int runColorIndex(std::string_view name, int above);

/// True when two palette indices are distinguishable as neighbours (hues at least two of ten apart).
bool runColorsDistinct(int a, int b);

} // namespace scopeviz::ui
