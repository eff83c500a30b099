/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tscmon's own tracepoints: tscmon:tscmon_sweep after each sweep and
 * tscmon:tscmon_skew for each CPU a sweep measured.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM tscmon

#if !defined(TSCMON_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define TSCMON_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(tscmon_sweep,
	    TP_PROTO(u64 seq, unsigned int ref, unsigned int cpus,
		     u64 sweep_ns, u64 max_abs_skew, u64 max_uncertainty,
		     u64 max_irqoff_ns),
	    TP_ARGS(seq, ref, cpus, sweep_ns, max_abs_skew, max_uncertainty,
		    max_irqoff_ns),
	    TP_STRUCT__entry(__field(u64, seq)
			     __field(unsigned int, ref)
			     __field(unsigned int, cpus)
			     __field(u64, sweep_ns)
			     __field(u64, max_abs_skew)
			     __field(u64, max_uncertainty)
			     __field(u64, max_irqoff_ns)),
	    TP_fast_assign(__entry->seq = seq;
			   __entry->ref = ref;
			   __entry->cpus = cpus;
			   __entry->sweep_ns = sweep_ns;
			   __entry->max_abs_skew = max_abs_skew;
			   __entry->max_uncertainty = max_uncertainty;
			   __entry->max_irqoff_ns = max_irqoff_ns;),
	    TP_printk("sweep=%llu ref=%u cpus=%u sweep_ns=%llu max_abs_skew=%llu max_uncertainty=%llu max_irqoff_ns=%llu",
		      __entry->seq, __entry->ref, __entry->cpus,
		      __entry->sweep_ns, __entry->max_abs_skew,
		      __entry->max_uncertainty, __entry->max_irqoff_ns)
);

TRACE_EVENT(tscmon_skew,
	    TP_PROTO(unsigned int cpu, unsigned int ref, s64 skew,
		     u64 uncertainty, u64 rtt, u64 warps),
	    TP_ARGS(cpu, ref, skew, uncertainty, rtt, warps),
	    TP_STRUCT__entry(__field(unsigned int, cpu)
			     __field(unsigned int, ref)
			     __field(s64, skew)
			     __field(u64, uncertainty)
			     __field(u64, rtt)
			     __field(u64, warps)),
	    TP_fast_assign(__entry->cpu = cpu;
			   __entry->ref = ref;
			   __entry->skew = skew;
			   __entry->uncertainty = uncertainty;
			   __entry->rtt = rtt;
			   __entry->warps = warps;),
	    TP_printk("cpu=%u ref=%u skew=%lld uncertainty=%llu rtt=%llu warps=%llu",
		      __entry->cpu, __entry->ref, __entry->skew,
		      __entry->uncertainty, __entry->rtt, __entry->warps)
);

#endif /* TSCMON_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
