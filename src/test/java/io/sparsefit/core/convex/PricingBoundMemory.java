package io.sparsefit.core.convex;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The memory of {@link PricingBound} as a fit's certificate runs it (the d <= 3 work budget of {@link ProvenDualNorm},
 * relative tolerance 1e-6), run by hand, not a test: on {@link DualNormReach}'s problem for each (d, N), the bytes the
 * search allocates ({@code com.sun.management.ThreadMXBean}) and the heap's peak use during it (the sum of the heap
 * pools' peaks after a collection and a reset: live data and garbage not yet collected, so an upper bound on what the
 * search retains; run under a small {@code -Xmx} for a tighter one). Usage: {@code PricingBoundMemory [d:N ...]};
 * {@code -Dwork=} sets another work budget.
 */
public final class PricingBoundMemory {

    private PricingBoundMemory() {
    }

    public static void main(String[] args) {
        String[] cases = args.length > 0 ? args : new String[] {"3:1000", "3:10000"};
        System.out.println("d N | lower upper ratio cells work converged | allocated MB, heap peak MB, max heap MB, seconds");
        for (String c : cases) {
            String[] p = c.split(":");
            run(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }
    }

    static void run(int d, int n) {
        DMatrixRMaj[] xr = DualNormReach.plantedResidual(d, n);
        DMatrixRMaj x = xr[0];
        DMatrixRMaj r = xr[1];
        List<Atom> found = new LocalPricing(x, 1, 1).search(r, null, 16, 16, Double.POSITIVE_INFINITY, 1);
        Atom start = found.isEmpty() ? null : found.get(0);
        long budget = Long.getLong("work", d <= 3 ? ProvenDualNorm.WORK_BUDGET_LOW_D : ProvenDualNorm.WORK_BUDGET_HIGH_D);
        PricingBound bound = new PricingBound(x, 1);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long allocatedBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long t0 = System.nanoTime();
        PricingBound.Result res = bound.bound(r, start, 1e-6, Long.MAX_VALUE, budget, () -> false);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore;
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.out.printf("%d %d | %.9g %.9g %.3e %d %.3e %s | %.1f %.1f %.0f %.1f%n", d, n, res.lower(), res.upper(),
                res.ratio() - 1, res.cells(), (double) res.work(), res.converged(), allocated / 1e6, peak / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6, seconds);
    }
}
