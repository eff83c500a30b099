// SPDX-License-Identifier: GPL-2.0
/*
 * tscmon_test_cpuidle - a test-only cpuidle driver for tscmon's selftests.
 *
 * A QEMU TCG guest has no cpuidle driver: the idle loop halts through the
 * architecture's default path, no state is ever selected and there are no
 * cpuidle/stateN counters to compare against. This driver gives every
 * possible CPU three states so that the governor makes a real choice:
 *
 *   state0  POLL       the kernel's own polling state
 *   state1  TSCMON_C1  "sti; hlt", short exit latency and target residency
 *   state2  TSCMON_C2  "sti; hlt", longer exit latency and target residency
 *
 * The two halt states differ only in the figures the governor weighs. Tests
 * steer the choice with the kernel's cpuidle/stateN/disable knobs.
 *
 * The driver sets no .owner: the cpuidle core would then hold a reference
 * on the module while the driver is registered, and rmmod would fail with
 * EAGAIN. Never installed; built only for the test guests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuidle.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/sched/idle.h>

#include "compat.h"

/*
 * Entered with interrupts disabled. "sti; hlt" lets the wakeup interrupt in
 * only once the CPU has halted, so none is lost in between; its handler runs
 * before the instruction after hlt. Interrupts go off again before the
 * return: since 6.3 cpuidle_enter_state() requires that (and warns about a
 * leaked IRQ state otherwise), and 6.1 accepts it. How lockdep is kept
 * informed differs between the two (tscmon_test_halt() in compat.h).
 */
static __cpuidle int tscmon_test_idle_halt(struct cpuidle_device *dev,
					   struct cpuidle_driver *drv,
					   int index)
{
	/*
	 * Stop advertising that this CPU polls, so that a remote wakeup sends
	 * an IPI, and do not halt if work arrived meanwhile.
	 */
	if (!current_clr_polling_and_test())
		tscmon_test_halt();
	return index;
}

static struct cpuidle_driver tscmon_test_idle_driver = {
	.name = "tscmon_test",
	.states = {
		{ /* state0: filled in by cpuidle_poll_state_init() */ },
		{
			.name = "TSCMON_C1",
			.desc = "tscmon test: sti; hlt (shallow)",
			.exit_latency = 2,		/* us */
			.target_residency = 4,		/* us */
			.enter = tscmon_test_idle_halt,
		},
		{
			.name = "TSCMON_C2",
			.desc = "tscmon test: sti; hlt (deep)",
			.exit_latency = 50,		/* us */
			.target_residency = 200,	/* us */
			.enter = tscmon_test_idle_halt,
		},
	},
	.state_count = 3,
	.safe_state_index = 0,
};

static int __init tscmon_test_idle_init(void)
{
	int ret;

	cpuidle_poll_state_init(&tscmon_test_idle_driver);
	ret = cpuidle_register(&tscmon_test_idle_driver, NULL);
	if (ret) {
		/* -EBUSY: another driver is registered; -ENODEV: cpuidle.off=1 */
		pr_err("cpuidle_register failed: %d\n", ret);
		return ret;
	}
	pr_info("registered %d states on every possible CPU\n",
		tscmon_test_idle_driver.state_count);
	return 0;
}

static void __exit tscmon_test_idle_exit(void)
{
	cpuidle_unregister(&tscmon_test_idle_driver);
}

module_init(tscmon_test_idle_init);
module_exit(tscmon_test_idle_exit);

MODULE_DESCRIPTION("tscmon test-only cpuidle driver: poll and two halt states");
MODULE_LICENSE("GPL");
