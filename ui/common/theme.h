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

/// Light or dark colours; a value handed to whatever paints (no global theme state).
struct Theme {
    /// True for the dark palette.
    bool dark = false;
    /// The colour of a role.
    QColor color(ThemeColor role) const;
    /// The theme a palette shows (dark when its window colour is dark).
    static Theme of(const QPalette& palette);
};

/// The colour of a role in the theme of `palette` (pass the painting widget's palette()).
QColor themeColor(ThemeColor role, const QPalette& palette);
/// True when `palette` is dark.
bool isDarkPalette(const QPalette& palette);
/// Switches the application palette between light and dark (widgets then see it in palette()).
void applyTheme(bool dark);
/// A stable, well-separated colour for the i-th run (or series) of a plot.
QColor seriesColor(int index);

} // namespace scopeviz::ui
