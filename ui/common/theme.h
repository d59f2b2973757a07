#pragma once
// Colours and palettes shared by every view, so that a shared variable, a
// variable scope or a name scope looks the same in the tree, graph and plots.
#include <QColor>
#include <QPalette>

namespace scopeviz::ui {

/// Visual roles with one colour each, adapted to light or dark palettes.
enum class ThemeColor {
    NameScope,
    VariableScope,
    Variable,
    SharedVariable,
    Highlight,
    Op,
    Summary,
    Error,
};

/// The colour of a role for the current (light or dark) theme.
QColor themeColor(ThemeColor role);
/// True when the dark palette is active.
bool isDarkTheme();
/// Switches the application palette between light and dark.
void applyTheme(bool dark);
/// A stable, well-separated colour for the i-th run (or series) of a plot.
QColor seriesColor(int index);

} // namespace scopeviz::ui
