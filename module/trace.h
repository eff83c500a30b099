/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tscmon's own tracepoints: tscmon:tscmon_sweep after each sweep,
 * tscmon:tscmon_skew for each CPU a sweep measured and tscmon:tscmon_event
 * for each event (events.c).
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

TRACE_EVENT(tscmon_event,
	    TP_PROTO(u64 seq, u64 sweep, unsigned int cpu, unsigned int kind,
		     s64 change, u64 bound, int deepest, u64 deepest_entries,
		     u64 freq_notifier, u64 freq_tracepoint),
	    TP_ARGS(seq, sweep, cpu, kind, change, bound, deepest,
		    deepest_entries, freq_notifier, freq_tracepoint),
	    TP_STRUCT__entry(__field(u64, seq)
			     __field(u64, sweep)
			     __field(unsigned int, cpu)
			     __field(unsigned int, kind)
			     __field(s64, change)
			     __field(u64, bound)
			     __field(int, deepest)
			     __field(u64, deepest_entries)
			     __field(u64, freq_notifier)
			     __field(u64, freq_tracepoint)),
	    TP_fast_assign(__entry->seq = seq;
			   __entry->sweep = sweep;
			   __entry->cpu = cpu;
			   __entry->kind = kind;
			   __entry->change = change;
			   __entry->bound = bound;
			   __entry->deepest = deepest;
			   __entry->deepest_entries = deepest_entries;
			   __entry->freq_notifier = freq_notifier;
			   __entry->freq_tracepoint = freq_tracepoint;),
	    TP_printk("seq=%llu sweep=%llu cpu=%u kind=%s change=%lld bound=%llu deepest=%d deepest_entries=%llu freq_notifier=%llu freq_tracepoint=%llu",
		      __entry->seq, __entry->sweep, __entry->cpu,
		      __print_symbolic(__entry->kind, { 0, "skew" },
				       { 1, "drift" }),
		      __entry->change, __entry->bound, __entry->deepest,
		      __entry->deepest_entries, __entry->freq_notifier,
		      __entry->freq_tracepoint)
);

#endif /* TSCMON_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
