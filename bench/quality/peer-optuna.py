"""One Optuna study of the max lr of a bench/quality.sh task.

Usage (bench/quality.sh runs it; /usr/bin/python3 with Debian's
python3-optuna):
    python3 peer-optuna.py SETTING STUDY TRIALS BUDGET LOG

SETTING is "tpe" or "sha".  Both sample the max lr of the task's 1cycle
schedule with Optuna's TPESampler (its defaults, seed STUDY) from 1e-4 to
3, log-uniform, and minimize the final held-out loss of one training per
trial, on a seed of its own (1000 * STUDY + the trial's number: none of
the seeds bench/quality.sh scores on).
  tpe: every trial trains the whole schedule.
  sha: SuccessiveHalvingPruner (its defaults) prunes trials on the
       held-out loss reported after each epoch.
The study runs TRIALS trials, or with TRIALS 0 starts trials as long as
the trainings spent are below BUDGET (so it never has less than BUDGET).
A pruned trial costs the epochs it trained over the task's epochs, a
whole one 1.

Each training is the quality tasks' own: the trainer (TRAINER, with
TRAIN_OPTS, BATCH, DATA and --seed) run by sweep-run (SWEEP_RUN,
--stop-div 0) with the schedule on its standard input, `lrsched onecycle
max=LR n=STEPS` (TOOLS/lrsched), the loss read from mlp-train --val-out.
After e of the EPOCHS epochs the held-out loss is that of a training on
the schedule's first e * STEPS / EPOCHS rows, the same rows as the
whole training's first (the trainer is deterministic given its seed and
its rows): a training cut there.  A loss that is not finite (a run that
diverged) is inf.  The losses are kept in CACHE/LR-SEED-E, so a study
run again replays at once.

Writes one CSV row per trial to LOG (number,lr,seed,state,epochs,value)
and prints "lr,cost,trials": the best trial's lr (as it was trained, six
digits), the trainings spent, the trials run.
"""
import math
import os
import subprocess
import sys
import tempfile

import optuna

SETTING, STUDY, TRIALS, BUDGET, LOG = sys.argv[1:6]
STUDY, TRIALS, BUDGET = int(STUDY), int(TRIALS), float(BUDGET)
E = os.environ
STEPS, EPOCHS = int(E['STEPS']), int(E['EPOCHS'])
CACHE = E['CACHE']
LO, HI = 1e-4, 3.0


def read_loss(path):
    try:
        v = float(open(path).read().split()[0])
    except (OSError, ValueError, IndexError):
        return math.inf
    return v if math.isfinite(v) else math.inf


def train(lr, seed, epochs):
    """The held-out loss after `epochs` epochs of the 1cycle to lr."""
    key = os.path.join(CACHE, '%s-%d-%d' % (lr, seed, epochs))
    if os.path.exists(key):
        return read_loss(key)
    rows = STEPS * epochs // EPOCHS
    sched = subprocess.run([os.path.join(E['TOOLS'], 'lrsched'),
                            'onecycle', 'max=' + lr, 'n=%d' % STEPS],
                           check=True, capture_output=True, text=True).stdout
    sched = ''.join(sched.splitlines(True)[:rows + 1])
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        out = os.path.join(tmp, 'val')
        cmd = [E['SWEEP_RUN'], '-S', '-', '--stop-div', '0',
               '-p', 'seed=%d' % seed, '--', E['TRAINER'], '--seed', '{seed}',
               '--batch-size', E['BATCH'], '--data', E['DATA']] + \
            E['TRAIN_OPTS'].split() + ['--val-out', out]
        subprocess.run(cmd, input=sched, check=True, text=True,
                       stdout=subprocess.DEVNULL)
        v = read_loss(out)
    with open(key + '.tmp', 'w') as f:
        f.write('%r\n' % v)
    os.replace(key + '.tmp', key)
    return v


spent = 0.0
log = []


def objective(trial):
    global spent
    lr = '%.6g' % trial.suggest_float('lr', LO, HI, log=True)
    seed = 1000 * STUDY + trial.number
    trial.set_user_attr('lr', lr)
    if SETTING == 'tpe':
        spent += 1
        v = train(lr, seed, EPOCHS)
        log.append((trial.number, lr, seed, 'COMPLETE', EPOCHS, v))
        return v
    for e in range(1, EPOCHS + 1):
        v = train(lr, seed, e)
        spent += 1 / EPOCHS
        trial.report(v, e)
        if e < EPOCHS and trial.should_prune():
            log.append((trial.number, lr, seed, 'PRUNED', e, v))
            raise optuna.TrialPruned()
    log.append((trial.number, lr, seed, 'COMPLETE', EPOCHS, v))
    return v


def main():
    if SETTING not in ('tpe', 'sha'):
        sys.exit('peer-optuna.py: setting %s: not tpe or sha' % SETTING)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    pruner = (optuna.pruners.SuccessiveHalvingPruner() if SETTING == 'sha'
              else optuna.pruners.NopPruner())
    study = optuna.create_study(
        direction='minimize', pruner=pruner,
        sampler=optuna.samplers.TPESampler(seed=STUDY))
    n = 0
    while (n < TRIALS) if TRIALS else (spent < BUDGET - 1e-9):
        study.optimize(objective, n_trials=1)
        n += 1
    with open(LOG, 'w') as f:
        f.write('number,lr,seed,state,epochs,value\n')
        for r in log:
            f.write('%d,%s,%d,%s,%d,%r\n' % r)
    best = study.best_trial
    print('%s,%.4g,%d' % (best.user_attrs['lr'], spent, n))


main()
