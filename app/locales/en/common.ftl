# Shared words: the top bar, order stages, sizes, menu categories, allergens.

brand = Pizzeria Live
switch-language = Language
loading = Loading…
optional = (optional)

status-received = Received
status-preparing = Preparing
status-baking = In the oven
status-ready = Ready for pickup
status-collected = Collected
status-cancelled = Cancelled

status-short-received = New
status-short-preparing = Prep
status-short-baking = Oven
status-short-ready = Ready
status-short-collected = Done
status-short-cancelled = Void

status-action-received = Receive
status-action-preparing = Start preparing
status-action-baking = Into the oven
status-action-ready = Mark ready
status-action-collected = Hand over
status-action-cancelled = Cancel

size-S = Small
size-M = Medium
size-L = Large
size-with-diameter = { $size } · { $cm } cm

category-pizza = Pizzas
category-drink = Drinks
category-dessert = Desserts

allergen-gluten = gluten
allergen-crustaceans = crustaceans
allergen-eggs = eggs
allergen-fish = fish
allergen-peanuts = peanuts
allergen-soy = soy
allergen-milk = milk
allergen-nuts = nuts
allergen-celery = celery
allergen-mustard = mustard
allergen-sesame = sesame
allergen-sulphites = sulphites
allergen-lupin = lupin
allergen-molluscs = molluscs

pickup-asap = ASAP
pickup-at = Pickup { $time }
pickup-slot-tomorrow = tomorrow { $time }
