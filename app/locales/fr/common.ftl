# Mots partagés : la barre du haut, les étapes d'une commande, les tailles, les rubriques, les allergènes.

brand = Pizzeria Live
switch-language = Langue
loading = Chargement…
optional = (facultatif)

status-received = Reçue
status-preparing = En préparation
status-baking = Au four
status-ready = Prête à emporter
status-collected = Récupérée
status-cancelled = Annulée

status-short-received = Nouv.
status-short-preparing = Prép.
status-short-baking = Four
status-short-ready = Prête
status-short-collected = Fini
status-short-cancelled = Annul.

status-action-received = Recevoir
status-action-preparing = Préparer
status-action-baking = Au four
status-action-ready = Marquer prête
status-action-collected = Remettre
status-action-cancelled = Annuler

size-S = Petite
size-M = Moyenne
size-L = Grande
size-with-diameter = { $size } · { $cm } cm

category-pizza = Pizzas
category-drink = Boissons
category-dessert = Desserts

allergen-gluten = gluten
allergen-crustaceans = crustacés
allergen-eggs = œufs
allergen-fish = poisson
allergen-peanuts = arachides
allergen-soy = soja
allergen-milk = lait
allergen-nuts = fruits à coque
allergen-celery = céleri
allergen-mustard = moutarde
allergen-sesame = sésame
allergen-sulphites = sulfites
allergen-lupin = lupin
allergen-molluscs = mollusques

pickup-asap = Dès que possible
pickup-at = Retrait { $time }
pickup-slot-tomorrow = demain { $time }
