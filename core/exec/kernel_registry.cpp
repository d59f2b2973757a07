#include "core/exec/kernel.h"

namespace scopeviz::exec {

const KernelRegistry& KernelRegistry::global()
{
    // Filled once, never destroyed: kernels may run during static destruction of Sessions.
    static const KernelRegistry* r = [] {
        auto* reg = new KernelRegistry;
        detail::registerArrayKernels(*reg);
        detail::registerMathKernels(*reg);
        detail::registerNnKernels(*reg);
        detail::registerRandomKernels(*reg);
        detail::registerStateKernels(*reg);
        detail::registerSummaryKernels(*reg);
        detail::registerTrainingKernels(*reg);
        return reg;
    }();
    return *r;
}

KernelFn KernelRegistry::find(std::string_view type) const
{
    const KernelDef* d = lookup(type);
    return d ? d->fn : nullptr;
}

const KernelDef* KernelRegistry::lookup(std::string_view type) const
{
    auto it = m_kernels.find(std::string(type));
    return it == m_kernels.end() ? nullptr : &it->second;
}

void KernelRegistry::add(std::string type, KernelFn fn, KernelTraits traits)
{
    m_kernels[std::move(type)] = KernelDef{fn, traits};
}

std::vector<std::string> KernelRegistry::types() const
{
    std::vector<std::string> out;
    out.reserve(m_kernels.size());
    for (const auto& [type, def] : m_kernels)
        out.push_back(type);
    return out;
}

} // namespace scopeviz::exec
