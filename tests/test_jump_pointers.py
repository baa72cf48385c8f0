"""Jump pointers: the rule that places them, and the climbs it allows."""

import math

from convograph.db.jump_pointers import jump_depth


# --- the rule -------------------------------------------------------------------------------


def test_jump_depth_is_the_skew_binary_rule_and_climbs_take_logarithmic_steps() -> None:
    # given the rule as stated on parents: a child of p jumps to p's jump's jump when
    # p's jump and its jump are equally long, else to p
    by_rule = [0]
    for depth in range(1, 5000):
        p, jump = depth - 1, by_rule[depth - 1]
        by_rule.append(by_rule[jump] if p - jump == jump - by_rule[jump] else p)
    # then
    assert [jump_depth(d) for d in range(1, 5000)] == by_rule[1:]
    # and climbing from any depth to any lower one takes fewer than 3 log2(d + 1) steps
    for depth in range(1, 700):
        for target in range(depth):
            steps, at = 0, depth
            while at > target:
                at = jump_depth(at) if jump_depth(at) >= target else at - 1
                steps += 1
            assert steps < 3 * math.log2(depth + 1), (depth, target, steps)
