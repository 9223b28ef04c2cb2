"""The self-contained, offline graph page: its data, and the HTML around it.

One module per job, each importing only those after it:

- :mod:`.html`: the page itself, the template, the inlined assets, the policy;
- :mod:`.data`: the JSON the page script reads (:func:`~.data.page_data`);
- :mod:`.records`: the nodes and edges of that JSON, each field written once;
- :mod:`.story`: its story time, what holds and who is dead at each point;
- :mod:`.styles`: how each kind and layer is drawn.
"""
