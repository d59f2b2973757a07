#include "ui/scalars/run_comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scopeviz::ui {

QString runGroupKey(const QString& run, const QRegularExpression& re)
{
    if (!re.isValid() || re.pattern().isEmpty())
        return run;
    const QRegularExpressionMatch m = re.match(run);
    if (!m.hasMatch())
        return run;
    if (re.captureCount() >= 1 && m.capturedStart(1) >= 0)
        return m.captured(1);
    QString key = run;
    key.remove(m.capturedStart(0), m.capturedLength(0));
    return key.isEmpty() ? run : key;
}

namespace {

constexpr std::size_t None = std::numeric_limits<std::size_t>::max();

struct Cursor {
    const ScalarSeries* s = nullptr;
    double firstWall = 0;
    std::size_t i = 0;              ///< first index with step >= current step
    std::size_t prevFinite = None;  ///< last finite index before i
    std::size_t nextFinite = None;  ///< cached first finite index >= i (None = unknown)
};

bool finiteAt(const ScalarSeries& s, std::size_t i) { return std::isfinite(s.drawValue(i)); }

} // namespace

void aggregateRuns(const std::vector<AggregateMember>& members, BandMode band, RunAggregate& out)
{
    out.mean = ScalarSeries();
    out.lower = ScalarSeries();
    out.upper = ScalarSeries();
    out.members = int(members.size());
    std::vector<Cursor> cur;
    for (const AggregateMember& m : members)
        if (m.series && !m.series->empty())
            cur.push_back(Cursor{m.series, m.firstWall});
    std::vector<double> vals;
    vals.reserve(cur.size());
    for (;;) {
        // Next step of the union.
        int64_t t = std::numeric_limits<int64_t>::max();
        bool any = false;
        for (const Cursor& c : cur)
            if (c.i < c.s->size()) {
                t = std::min(t, c.s->step(c.i));
                any = true;
            }
        if (!any)
            break;
        vals.clear();
        double wallSum = 0;
        for (Cursor& c : cur) {
            const ScalarSeries& s = *c.s;
            const std::size_t n = s.size();
            std::size_t lastFinite = None;
            std::size_t j = c.i;
            while (j < n && s.step(j) == t) {
                if (finiteAt(s, j))
                    lastFinite = j;
                ++j;
            }
            if (lastFinite != None) {
                vals.push_back(s.value(lastFinite));
                wallSum += s.wallTime(lastFinite) - c.firstWall;
            } else if (c.prevFinite != None) {
                // Between two finite points of this member: interpolate.
                if (c.nextFinite == None || c.nextFinite < j) {
                    c.nextFinite = j;
                    while (c.nextFinite < n && !finiteAt(s, c.nextFinite))
                        ++c.nextFinite;
                }
                if (c.nextFinite < n) {
                    const std::size_t a = c.prevFinite, b = c.nextFinite;
                    const double f = double(t - s.step(a)) / double(s.step(b) - s.step(a));
                    vals.push_back(s.value(a) + (s.value(b) - s.value(a)) * f);
                    wallSum += s.wallTime(a) + (s.wallTime(b) - s.wallTime(a)) * f - c.firstWall;
                }
            }
            if (lastFinite != None)
                c.prevFinite = lastFinite;
            c.i = j;
        }
        if (vals.empty())
            continue;
        const double k = double(vals.size());
        double sum = 0, lo = vals[0], hi = vals[0];
        for (double v : vals) {
            sum += v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        const double mean = sum / k;
        if (band == BandMode::StdDev) {
            double ss = 0;
            for (double v : vals)
                ss += (v - mean) * (v - mean);
            const double sd = std::sqrt(ss / k);
            lo = mean - sd;
            hi = mean + sd;
        }
        const double wall = wallSum / k;
        out.mean.append(ScalarPoint{t, wall, mean});
        out.lower.append(ScalarPoint{t, wall, lo});
        out.upper.append(ScalarPoint{t, wall, hi});
    }
}

} // namespace scopeviz::ui
