#include "ui/scalars/scalar_export.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <type_traits>

namespace scopeviz::ui {
namespace {

template <class T>
void putNumber(std::string& out, T v)
{
    char buf[64];
    if constexpr (std::is_floating_point_v<T>) {
        // Whole numbers as plain digits (wall time 1700000000, not 1.7e+09); otherwise the shortest round trip.
        if (v == std::trunc(v) && std::fabs(v) < T(1e15)) {
            auto res = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
            out.append(buf, res.ptr);
            if (v == 0 && std::signbit(v))
                out.insert(out.size() - 1, 1, '-');
            return;
        }
    }
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void putCsvField(std::string& out, const std::string& s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        out += s;
        return;
    }
    out += '"';
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

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
    const float f = s.drawValue(i);
    const double v = s.value(i);
    if (std::isnan(v)) {
        out += json ? "\"NaN\"" : "nan";
    } else if (std::isinf(v)) {
        out += v > 0 ? (json ? "\"Infinity\"" : "inf") : (json ? "\"-Infinity\"" : "-inf");
    } else if (double(f) == v) {
        putNumber(out, f);
    } else {
        putNumber(out, v);
    }
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
    std::string buf = "run,tag,step,wall_time,value\n";
    for (int id : seriesIds) {
        const ScalarSeries& s = store.series(id);
        std::string prefix;
        putCsvField(prefix, store.run(store.seriesRun(id)).label);
        prefix += ',';
        putCsvField(prefix, store.tag(store.seriesTag(id)));
        prefix += ',';
        for (std::size_t i = 0; i < s.size(); ++i) {
            buf += prefix;
            putNumber(buf, s.step(i));
            buf += ',';
            putNumber(buf, s.wallTime(i));
            buf += ',';
            putValue(buf, s, i, false);
            buf += '\n';
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
            putNumber(buf, s.step(i));
            flush();
        }
        buf += "],\n   \"wall_time\": [";
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i)
                buf += ',';
            putNumber(buf, s.wallTime(i));
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
