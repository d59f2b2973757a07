#include "ui/common/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace scopeviz::ui {
bool isDarkPalette(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

Theme Theme::of(const QPalette& palette) { return Theme{isDarkPalette(palette)}; }

QColor themeColor(ThemeColor role, const QPalette& palette) { return Theme::of(palette).color(role); }

QColor Theme::color(ThemeColor role) const
{
        switch (role) {
    case ThemeColor::NameScope: return dark ? QColor(70, 90, 120) : QColor(214, 228, 246);
    case ThemeColor::VariableScope: return dark ? QColor(60, 110, 90) : QColor(208, 240, 222);
    case ThemeColor::Variable: return dark ? QColor(150, 130, 60) : QColor(255, 236, 179);
    case ThemeColor::SharedVariable: return dark ? QColor(220, 110, 40) : QColor(245, 124, 0);
    case ThemeColor::Highlight: return dark ? QColor(255, 170, 60) : QColor(230, 81, 0);
    case ThemeColor::Op: return dark ? QColor(80, 80, 88) : QColor(245, 245, 247);
    case ThemeColor::Summary: return dark ? QColor(110, 80, 130) : QColor(232, 218, 242);
    case ThemeColor::Error: return dark ? QColor(230, 80, 80) : QColor(200, 30, 30);
    }
    return {};
}

void applyTheme(bool dark)
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QPalette p;
    if (dark) {
        p.setColor(QPalette::Window, QColor(45, 45, 48));
        p.setColor(QPalette::WindowText, Qt::white);
        p.setColor(QPalette::Base, QColor(30, 30, 32));
        p.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
        p.setColor(QPalette::Text, Qt::white);
        p.setColor(QPalette::Button, QColor(53, 53, 56));
        p.setColor(QPalette::ButtonText, Qt::white);
        p.setColor(QPalette::Highlight, QColor(42, 130, 218));
        p.setColor(QPalette::HighlightedText, Qt::black);
        p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
        p.setColor(QPalette::ToolTipText, Qt::white);
        p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
        // Links (inspector, message bar) must read on dark backgrounds; disabled text must stay visible.
        p.setColor(QPalette::Link, QColor(110, 170, 255));
        p.setColor(QPalette::LinkVisited, QColor(180, 140, 255));
        p.setColor(QPalette::BrightText, QColor(255, 90, 90));
        p.setColor(QPalette::Light, QColor(75, 75, 80));
        p.setColor(QPalette::Midlight, QColor(62, 62, 66));
        p.setColor(QPalette::Mid, QColor(40, 40, 42));
        p.setColor(QPalette::Dark, QColor(25, 25, 27));
        p.setColor(QPalette::Shadow, QColor(10, 10, 10));
        for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            p.setColor(QPalette::Disabled, role, QColor(125, 125, 130));
    } else {
        p = QApplication::style()->standardPalette();
    }
    QApplication::setPalette(p);
}

QColor seriesColor(int index)
{
    // Tableau-like categorical palette, then golden-angle hues beyond it.
    static const QColor base[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                  QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75),
                                  QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                                  QColor(23, 190, 207)};
    if (index >= 0 && index < 10)
        return base[index];
    return QColor::fromHsv(int((index * 137.508)) % 360, 180, 200);
}

} // namespace scopeviz::ui
