#include "ui/scalars/scalar_export.h"

#include "core/summary/scalar_csv.h"
#include "core/util/strings.h"

#include <cmath>
#include <cstdio>

namespace scopeviz::ui {
namespace {

void putJsonString(std::string& out, const std::string& s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
    out += '"';
}

void putValue(std::string& out, const ScalarSeries& s, std::size_t i, bool json)
{
    const double v = s.value(i);
    if (json && std::isnan(v))
        out += "\"NaN\"";
    else if (json && std::isinf(v))
        out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    else
        appendScalarValue(out, v); // CSV: the command line's spelling (nan, inf, -inf)
}

constexpr std::size_t FlushBytes = 1 << 20;

} // namespace

std::string formatScalarValue(const ScalarSeries& s, std::size_t i)
{
    std::string out;
    putValue(out, s, i, false);
    return out;
}

void writeCsv(std::ostream& os, const ScalarStore& store, const std::vector<int>& seriesIds)
{
    std::string buf(kScalarCsvHeader);
    for (int id : seriesIds) {
        const ScalarSeries& s = store.series(id);
        const std::string& run = store.run(store.seriesRun(id)).label;
        const std::string& tag = store.tag(store.seriesTag(id));
        for (std::size_t i = 0; i < s.size(); ++i) {
            appendScalarCsvRow(buf, run, tag, s.step(i), s.wallTime(i), s.value(i));
            if (buf.size() > FlushBytes) {
                os.write(buf.data(), std::streamsize(buf.size()));
                buf.clear();
            }
        }
    }
    os.write(buf.data(), std::streamsize(buf.size()));
}

void writeJson(std::ostream& os, const ScalarStore& store, const std::vector<int>& seriesIds)
{
    std::string buf = "{\"series\": [";
    auto flush = [&] {
        if (buf.size() > FlushBytes) {
            os.write(buf.data(), std::streamsize(buf.size()));
            buf.clear();
        }
    };
    bool firstSeries = true;
    for (int id : seriesIds) {
        const ScalarSeries& s = store.series(id);
        buf += firstSeries ? "\n  {\"run\": " : ",\n  {\"run\": ";
        firstSeries = false;
        putJsonString(buf, store.run(store.seriesRun(id)).label);
        buf += ", \"tag\": ";
        putJsonString(buf, store.tag(store.seriesTag(id)));
        buf += ",\n   \"step\": [";
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i)
                buf += ',';
            appendShortest(buf, s.step(i));
            flush();
        }
        buf += "],\n   \"wall_time\": [";
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i)
                buf += ',';
            appendShortest(buf, s.wallTime(i));
            flush();
        }
        buf += "],\n   \"value\": [";
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i)
                buf += ',';
            putValue(buf, s, i, true);
            flush();
        }
        buf += "]}";
    }
    buf += "\n]}\n";
    os.write(buf.data(), std::streamsize(buf.size()));
}

} // namespace scopeviz::ui
