/// The dashboard's style sheet, served at `/dashboard/app.css`: system fonts, no images.
enum DashboardStyle {
    static let source = """
        :root { --fail: #c62828; --pass: #2e7d32; --wait: #8d6e00; --canary: #e65100; --baseline: #455a64; --line: #ddd; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "DejaVu Sans", sans-serif; color: #222; background: #fafafa; }
        header { display: flex; gap: 1em; align-items: center; padding: .5em 1em; background: #263238; color: #fff; }
        header h1 { font-size: 1.2em; margin: 0; }
        header button { margin-left: auto; }
        main { padding: 0 1em 2em; max-width: 1200px; }
        h2 { font-size: 1.05em; margin: 1.2em 0 .4em; border-bottom: 1px solid var(--line); }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .25em .5em; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; background: #f0f0f0; }
        tr.current td { background: #fff8e1; }
        .muted { color: #666; }
        .mono { font-family: "DejaVu Sans Mono", monospace; }
        .error, .warn { color: var(--fail); }
        .badge { display: inline-block; padding: 0 .5em; border-radius: .8em; font-size: .85em; background: #eceff1; }
        .badge.pass, .badge.completed, .badge.done { background: #c8e6c9; }
        .badge.fail, .badge.rolled-back, .badge.rolling-back, .badge.aborted { background: #ffcdd2; }
        .badge.halted, .badge.inconclusive { background: #fff3c4; }
        .badge.progressing, .badge.baking { background: #bbdefb; }
        .decision { font-weight: 600; }
        .decision.rollback, .decision.halt { color: var(--fail); }
        .decision.promote { color: var(--pass); }
        .timeline { display: flex; gap: .5em; padding: 0; list-style: none; flex-wrap: wrap; }
        .timeline li { flex: 1 1 200px; background: #fff; border: 1px solid var(--line); border-top: 4px solid #ccc; padding: .4em .6em; }
        .timeline li.done { border-top-color: var(--pass); }
        .timeline li.baking { border-top-color: #1e88e5; }
        .timeline li.halted, .timeline li.rolled-back, .timeline li.rolling-back, .timeline li.aborted { border-top-color: var(--fail); }
        #actions { display: flex; gap: .4em; align-items: center; flex-wrap: wrap; }
        #actions input { flex: 1 1 16em; padding: .2em .4em; }
        button { padding: .25em .8em; cursor: pointer; }
        button.abort, button.rollback { color: var(--fail); }
        #charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 1em; }
        figure { margin: 0; background: #fff; border: 1px solid var(--line); padding: .5em; }
        svg.chart { width: 100%; height: auto; }
        svg .axis { stroke: #999; }
        svg .tick { font-size: 10px; fill: #666; }
        svg .step-change { stroke: #999; stroke-dasharray: 3 3; }
        svg .band { fill: var(--canary); opacity: .15; }
        svg .canary { fill: none; stroke: var(--canary); stroke-width: 2; }
        svg .baseline { fill: none; stroke: var(--baseline); stroke-width: 2; }
        svg .tolerance { fill: none; stroke: var(--fail); stroke-dasharray: 6 4; }
        svg .point { fill: var(--canary); }
        svg .point.baseline-point { fill: var(--baseline); }
        svg .whisker { stroke: var(--canary); opacity: .5; stroke-width: 1.5; }
        svg .point.fail { fill: var(--fail); }
        svg .point.pass { fill: var(--pass); }
        .legend { display: flex; gap: 1em; font-size: .85em; }
        .legend .key::before { content: ""; display: inline-block; width: 1.2em; height: .6em; margin-right: .3em; }
        .legend .canary::before { background: var(--canary); }
        .legend .baseline::before { background: var(--baseline); }
        .legend .band::before { background: var(--canary); opacity: .15; }
        .legend .tolerance::before { border-top: 2px dashed var(--fail); height: 0; }
        td.detail { max-width: 28em; }
        body.sign-in { display: flex; justify-content: center; padding-top: 10vh; }
        body.sign-in form { background: #fff; padding: 2em; border: 1px solid var(--line); display: flex; flex-direction: column; gap: .6em; width: 24em; }

        """
}
