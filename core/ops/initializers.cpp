#include "core/ops/initializers.h"

#include "core/ops/ops.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <cmath>

namespace scopeviz::initializers {
namespace {

class ZerosOnes final : public Initializer {
public:
    explicit ZerosOnes(double v) : m_v(v) {}
    Output build(Graph& g, const std::vector<int64_t>& shape, DType dtype) const override
    {
        return m_v == 0 ? ops::zeros(g, shape, dtype) : ops::ones(g, shape, dtype);
    }
    std::string describe() const override { return m_v == 0 ? "zeros_initializer()" : "ones_initializer()"; }

private:
    double m_v;
};

class Constant final : public Initializer {
public:
    explicit Constant(std::vector<double> v) : m_values(std::move(v)) {}
    Output build(Graph& g, const std::vector<int64_t>& shape, DType dtype) const override
    {
        Tensor t = Tensor::filled(dtype, shape, m_values.empty() ? 0 : m_values[0]);
        if (m_values.size() > 1) {
            if (int64_t(m_values.size()) != t.numElements())
                throw TypeError(cat("Expected Tensor's shape: ", Shape(shape).toString(), ", got (", m_values.size(),
                                    ",)."));
            for (size_t i = 0; i < m_values.size(); ++i) {
                Tensor one = Tensor::filled(dtype, {}, m_values[i]);
                std::memcpy(static_cast<char*>(t.rawData()) + i * size_t(dtypeSize(dtype)), one.rawData(),
                            size_t(dtypeSize(dtype)));
            }
        }
        return ops::constant(g, t, "Const");
    }
    std::string describe() const override
    {
        return m_values.size() == 1 ? cat("constant_initializer(", formatDouble(m_values[0]), ")")
                                    : std::string("constant_initializer([...])");
    }

private:
    std::vector<double> m_values;
};

class Random final : public Initializer {
public:
    enum Kind { Truncated, Normal, Uniform, Glorot };
    Random(Kind k, double a, double b, std::optional<int64_t> seed) : m_kind(k), m_a(a), m_b(b), m_seed(seed) {}
    Output build(Graph& g, const std::vector<int64_t>& shape, DType dtype) const override
    {
        if (!isFloating(dtype))
            throw ValueError(cat("Expected float dtype, got ", dtypeRepr(dtype)));
        switch (m_kind) {
        case Truncated: return ops::truncatedNormal(g, shape, m_a, m_b, dtype, m_seed);
        case Normal: return ops::randomNormal(g, shape, m_a, m_b, dtype, m_seed);
        case Uniform: return ops::randomUniform(g, shape, m_a, m_b, dtype, m_seed);
        case Glorot: {
            // fan_in/fan_out as TF's _compute_fans: receptive field times the last two dims.
            double fanIn = 1, fanOut = 1;
            if (shape.size() == 1) {
                fanIn = fanOut = double(shape[0]);
            } else if (shape.size() >= 2) {
                double receptive = 1;
                for (size_t i = 0; i + 2 < shape.size(); ++i)
                    receptive *= double(shape[i]);
                fanIn = double(shape[shape.size() - 2]) * receptive;
                fanOut = double(shape.back()) * receptive;
            }
            double limit = std::sqrt(3.0 * 1.0 / std::max(1.0, (fanIn + fanOut) / 2.0));
            return ops::randomUniform(g, shape, -limit, limit, dtype, m_seed);
        }
        }
        return {};
    }
    std::string describe() const override
    {
        switch (m_kind) {
        case Truncated: return cat("truncated_normal_initializer(mean=", formatDouble(m_a), ", stddev=", formatDouble(m_b), ")");
        case Normal: return cat("random_normal_initializer(mean=", formatDouble(m_a), ", stddev=", formatDouble(m_b), ")");
        case Uniform: return cat("random_uniform_initializer(minval=", formatDouble(m_a), ", maxval=", formatDouble(m_b), ")");
        case Glorot: return "glorot_uniform_initializer()";
        }
        return {};
    }

private:
    Kind m_kind;
    double m_a, m_b;
    std::optional<int64_t> m_seed;
};

} // namespace

InitializerPtr zeros() { return std::make_shared<ZerosOnes>(0); }
InitializerPtr ones() { return std::make_shared<ZerosOnes>(1); }
InitializerPtr constant(double value) { return std::make_shared<Constant>(std::vector<double>{value}); }
InitializerPtr constant(std::vector<double> values) { return std::make_shared<Constant>(std::move(values)); }
InitializerPtr truncatedNormal(double mean, double stddev, std::optional<int64_t> seed)
{
    return std::make_shared<Random>(Random::Truncated, mean, stddev, seed);
}
InitializerPtr randomNormal(double mean, double stddev, std::optional<int64_t> seed)
{
    return std::make_shared<Random>(Random::Normal, mean, stddev, seed);
}
InitializerPtr randomUniform(double minval, double maxval, std::optional<int64_t> seed)
{
    return std::make_shared<Random>(Random::Uniform, minval, maxval, seed);
}
InitializerPtr glorotUniform(std::optional<int64_t> seed) { return std::make_shared<Random>(Random::Glorot, 0, 0, seed); }

} // namespace scopeviz::initializers
