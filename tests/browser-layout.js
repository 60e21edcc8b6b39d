// SPDX-License-Identifier: MIT
/*
 * Injected by tests/browser.sh into a copy of a report page (the page itself
 * carries no script): checks the layout Chromium computed, at the window's
 * width.  Event labels must not overlap each other, be crossed by another
 * event's line, reach into the plot or leave the chart; axis labels must not
 * overlap; the page must not be wider than the window.  Writes the verdict
 * into a pre element of id layout-check, which --dump-dom prints.
 */
(function () {
	var problems = [];
	function box(e) { return e.getBoundingClientRect(); }
	function meets(a, b) { return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5; }
	var svgs = document.querySelectorAll('svg[id]');
	for (var s = 0; s < svgs.length; s++) {
		var svg = svgs[s], id = svg.id;
		var labels = svg.querySelectorAll('text.mlabel'), lines = svg.querySelectorAll('g.marker line'), area = svg.querySelector('rect.plotarea');
		for (var i = 0; i < labels.length; i++) {
			var a = box(labels[i]);
			if (area && a.bottom > box(area).top + 0.5) problems.push(id + ': label "' + labels[i].textContent + '" reaches into the plot');
			if (a.right > box(svg).right + 0.5 || a.left < box(svg).left - 0.5) problems.push(id + ': label "' + labels[i].textContent + '" leaves the chart');
			for (var j = i + 1; j < labels.length; j++)
				if (meets(a, box(labels[j]))) problems.push(id + ': labels "' + labels[i].textContent + '" and "' + labels[j].textContent + '" overlap');
			for (var k = 0; k < lines.length; k++)
				if (lines[k].parentNode !== labels[i].parentNode && meets(a, box(lines[k]))) problems.push(id + ': a line crosses label "' + labels[i].textContent + '"');
		}
		var ticks = svg.querySelectorAll('text.tick');
		for (var i = 0; i < ticks.length; i++)
			for (var j = i + 1; j < ticks.length; j++)
				if (meets(box(ticks[i]), box(ticks[j]))) problems.push(id + ': axis labels "' + ticks[i].textContent + '" and "' + ticks[j].textContent + '" overlap');
	}
	if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push('the page is wider than the window: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
	var pre = document.createElementNS('http://www.w3.org/1999/xhtml', 'pre');
	pre.id = 'layout-check';
	pre.textContent = problems.length ? 'LAYOUT PROBLEMS\n' + problems.join('\n') : 'LAYOUT OK ' + svgs.length + ' charts at ' + window.innerWidth + 'px';
	document.body.appendChild(pre);
})();
