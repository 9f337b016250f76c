'use strict';
// Turns patched methods off and on again without re-patching. `plugin.disable()` followed by
// `enable()` would install new wrapper closures each time, which V8 runs unoptimized until they
// are hot again: a cost a service, patched once at start-up, never pays. Swapping the patched
// method and its original (shimmer's `__original`, what `disable()` restores) keeps both warm.

/**
 * @param {Array<[object, string]>} methods the patched methods, as [prototype, name]
 * @returns {(on: boolean) => void}
 */
function methodSwitch(methods) {
  const entries = methods.map(([target, name]) => {
    const patched = target[name];
    if (typeof patched?.__original !== 'function') throw new Error(`${name} is not patched`);
    return { target, name, patched, original: patched.__original };
  });
  return (on) => {
    for (const { target, name, patched, original } of entries) target[name] = on ? patched : original;
  };
}

module.exports = { methodSwitch };
